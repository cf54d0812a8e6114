import type { HttpEndpoint, InboundRequest, InboundResponse, Logger } from '../../../core/index.js';
import { urlVerificationSchema } from './payloads.js';
import type { SlackReceiver } from './receiver.js';
import { verifySlackRequest } from './signature.js';

export const SLACK_PATHS = {
  events: '/chat/slack/events',
  commands: '/chat/slack/commands',
  interactivity: '/chat/slack/interactivity',
} as const;

const json = (status: number, body: unknown): InboundResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

const refusal = (status: number, code: string, message: string) => json(status, { error: { code, message } });

/**
 * HTTP mode: the Events API, slash command and interactivity endpoints. Every request is verified
 * (v0 signature, 5-minute window) before anything is read, and answered at once — the work goes on
 * in the background and reports in the thread.
 */
export function slackEndpoints(deps: {
  signingSecret: string;
  receiver: SlackReceiver;
  log: Logger;
  now?: () => number;
}): HttpEndpoint[] {
  const now = deps.now ?? Date.now;

  const verified =
    (handle: (request: InboundRequest) => InboundResponse) =>
    async (request: InboundRequest): Promise<InboundResponse> => {
      const check = verifySlackRequest({
        signingSecret: deps.signingSecret,
        timestamp: request.headers['x-slack-request-timestamp'],
        signature: request.headers['x-slack-signature'],
        rawBody: request.rawBody,
        nowMs: now(),
      });
      if (!check.ok) {
        deps.log.warn({ path: request.path, reason: check.reason }, 'refused a Slack request');
        return refusal(401, 'UNAUTHENTICATED', `Slack request refused: ${check.reason}`);
      }
      return handle(request);
    };

  const form = (request: InboundRequest) => new URLSearchParams(request.rawBody.toString('utf8'));

  return [
    {
      method: 'POST',
      path: SLACK_PATHS.events,
      handle: verified((request) => {
        let body: unknown;
        try {
          body = JSON.parse(request.rawBody.toString('utf8'));
        } catch {
          return refusal(400, 'BAD_REQUEST', 'the Events API body is not JSON');
        }
        const challenge = urlVerificationSchema.safeParse(body);
        if (challenge.success) return json(200, { challenge: challenge.data.challenge });
        const retry = request.headers['x-slack-retry-num'];
        deps.receiver.event(body, retry === undefined ? undefined : Number(retry));
        return { status: 200 };
      }),
    },
    {
      method: 'POST',
      path: SLACK_PATHS.commands,
      handle: verified((request) => {
        const fields = form(request);
        if (fields.get('ssl_check') === '1') return { status: 200 };
        deps.receiver.command(Object.fromEntries(fields));
        // An empty 200 acknowledges; the answer comes in the channel, in a thread.
        return { status: 200 };
      }),
    },
    {
      method: 'POST',
      path: SLACK_PATHS.interactivity,
      handle: verified((request) => {
        const raw = form(request).get('payload');
        let payload: unknown;
        try {
          payload = raw === null ? undefined : JSON.parse(raw);
        } catch {
          payload = undefined;
        }
        if (payload === undefined) {
          return refusal(400, 'BAD_REQUEST', 'the interactivity body has no JSON payload field');
        }
        deps.receiver.interaction(payload);
        return { status: 200 };
      }),
    },
  ];
}
