import { type HookEvent, header, type WebhookProvider } from './provider.js';
import { pullRequestEvent } from './pull-request.js';
import { stringAt, stringsAt } from './repo-urls.js';

/** Gitea says `synchronized` where GitHub says `synchronize`. */
const GITEA_ACTIONS = new Set(['opened', 'synchronized', 'reopened']);

import { verifyHmacHeader } from './signature.js';

/**
 * Gitea (and Forgejo): `X-Gitea-Signature: <hex HMAC-SHA256 of the raw body>` (no prefix),
 * `X-Gitea-Event`, `X-Gitea-Delivery`.
 */
export const gitea: WebhookProvider = {
  name: 'gitea',
  signatureHeader: 'X-Gitea-Signature',
  verify: (headers, raw, secret) => verifyHmacHeader(header(headers, 'x-gitea-signature'), raw, secret),
  deliveryId: (headers) => header(headers, 'x-gitea-delivery'),
  event(headers, payload): HookEvent {
    const name = header(headers, 'x-gitea-event') ?? 'unknown';
    if (name === 'pull_request') return pullRequestEvent(name, payload, GITEA_ACTIONS);
    if (name !== 'push') return { kind: 'other', name };
    const repos = stringsAt(payload, ['repository.clone_url', 'repository.ssh_url', 'repository.html_url']);
    const ref = stringAt(payload, 'ref');
    const revision = stringAt(payload, 'after');
    return { kind: 'push', name, repos, ...(ref ? { ref } : {}), ...(revision ? { revision } : {}) };
  },
};
