import type { HttpEndpoint, InboundResponse, Logger } from '../../../core/index.js';
import { type Activity, activitySchema } from './activity.js';
import { serviceUrlAllowed } from './service-urls.js';
import type { TokenVerifier } from './verify-token.js';

export const TEAMS_PATH = '/chat/teams/messages';

export const jsonResponse = (status: number, body: unknown): InboundResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

const refusal = (status: number, code: string, message: string) =>
  jsonResponse(status, { error: { code, message } });

/**
 * `POST /chat/teams/messages`, the bot's messaging endpoint: the Bot Framework's JWT is verified
 * against the activity (401 otherwise), the channel and the service URL must be allowed (403),
 * and only then is the activity handed on — answered at once, the work continues in the thread.
 */
export function teamsEndpoint(deps: {
  verifier: TokenVerifier;
  channels: readonly string[];
  serviceUrls: readonly string[];
  receive(activity: Activity): InboundResponse;
  log: Logger;
}): HttpEndpoint {
  return {
    method: 'POST',
    path: TEAMS_PATH,
    async handle(request) {
      const authorization = request.headers.authorization;
      if (!authorization) {
        return refusal(401, 'UNAUTHENTICATED', 'Bot Framework request refused: no Authorization header');
      }
      let raw: unknown;
      try {
        raw = JSON.parse(request.rawBody.toString('utf8'));
      } catch {
        return refusal(400, 'BAD_REQUEST', 'the activity is not JSON');
      }
      const parsed = activitySchema.safeParse(raw);
      if (!parsed.success) {
        return refusal(
          400,
          'BAD_REQUEST',
          'the body is not a Bot Framework activity (type, channelId, serviceUrl, conversation)',
        );
      }
      const activity = parsed.data;
      const check = await deps.verifier.verify(authorization, activity);
      if (!check.ok) {
        deps.log.warn(
          { reason: check.reason, channelId: activity.channelId },
          'refused a Bot Framework request',
        );
        return check.unavailable
          ? refusal(503, 'UNAVAILABLE', `cannot verify Bot Framework tokens right now: ${check.reason}`)
          : refusal(401, 'UNAUTHENTICATED', `Bot Framework request refused: ${check.reason}`);
      }
      if (!deps.channels.includes(activity.channelId)) {
        return refusal(
          403,
          'FORBIDDEN',
          `activities from channel ${activity.channelId} are not accepted (chat.teams.channels)`,
        );
      }
      if (!serviceUrlAllowed(activity.serviceUrl, deps.serviceUrls)) {
        deps.log.warn(
          { channelId: activity.channelId },
          'refused an activity whose serviceUrl is not in chat.teams.serviceUrls; no reply goes there',
        );
        return refusal(
          403,
          'FORBIDDEN',
          'the activity names a serviceUrl that is not allowed (chat.teams.serviceUrls)',
        );
      }
      return deps.receive(activity);
    },
  };
}
