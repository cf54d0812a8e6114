import { type HookEvent, header, type WebhookProvider } from './provider.js';
import { stringAt } from './repo-urls.js';
import { verifyToken } from './signature.js';

/** Build phases the Notification plugin sends; a run is over at these two. */
const ENDED = new Set(['COMPLETED', 'FINALIZED']);

/**
 * Jenkins, through the Notification plugin (plugins.jenkins.io/notification): a JSON POST per
 * build phase, `{name, url, build: {full_url, number, phase, status, url, ...}}`. The plugin
 * signs nothing and sends no custom headers, so the shared secret comes as the endpoint URL's
 * `token` query parameter (keep that URL in a Jenkins secret-text credential, the plugin's
 * "secret URL"), or as `X-Wheelhouse-Token` from senders that can set headers. No delivery id:
 * the same body twice is a replay (refused by the receiver).
 */
export const jenkins: WebhookProvider = {
  name: 'jenkins',
  signatureHeader: 'token query parameter (or X-Wheelhouse-Token)',
  verify(headers, _raw, secret, query) {
    const token = typeof query?.token === 'string' ? query.token : header(headers, 'x-wheelhouse-token');
    return verifyToken(token, secret);
  },
  deliveryId: () => undefined,
  event(_headers, payload): HookEvent {
    const phase = stringAt(payload, 'build.phase') ?? 'unknown';
    const name = `build ${phase.toLowerCase()}`;
    const buildUrl = stringAt(payload, 'build.full_url');
    const jobUrl = stringAt(payload, 'url');
    const number = (payload as { build?: { number?: unknown } } | null)?.build?.number;
    if (!ENDED.has(phase) || !buildUrl || !jobUrl || typeof number !== 'number')
      return { kind: 'other', name };
    const status = stringAt(payload, 'build.status');
    return {
      kind: 'ci',
      name,
      origin: { kind: 'jenkins', buildUrl },
      job: jobPath(jobUrl),
      run: String(number),
      result: status === 'SUCCESS' ? 'success' : status === 'ABORTED' ? 'cancelled' : 'failure',
      url: buildUrl,
    };
  },
};

/** `job/team/job/shop/job/main/` -> `team/shop/main`, as `build jenkins/<job>` writes it. */
function jobPath(url: string): string {
  // Segments alternate `job` / name; a branch's name comes encoded twice (`feature%252Flogin`).
  return url
    .split('/')
    .filter((part, i) => i % 2 === 1 && part !== '')
    .map((part) => decodeURIComponent(part))
    .join('/');
}
