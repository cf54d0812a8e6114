import { type HookEvent, header, type WebhookProvider } from './provider.js';
import { isObject, stringAt } from './repo-urls.js';
import { verifyHmacHeader } from './signature.js';

/**
 * Any other system (CI, scripts): `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
 * `X-Event: push | ping` (default push), `X-Delivery-Id` (optional). With
 * `X-Signature-Timestamp: <Unix seconds>` the signature covers `<timestamp>.<raw body>` instead,
 * and the receiver refuses deliveries older than a few minutes (replay protection). The body names the
 * repository: `{ "repository": "<url>" }`, `{ "repository": { "url": "<url>" } }` or
 * `{ "repositories": ["<url>", ...] }`, optionally with `ref` and `revision`.
 */
export const generic: WebhookProvider = {
  name: 'generic',
  signatureHeader: 'X-Signature',
  timestampHeader: 'X-Signature-Timestamp',
  verify(headers, raw, secret) {
    const stamp = header(headers, 'x-signature-timestamp');
    const signed = stamp === undefined ? raw : Buffer.concat([Buffer.from(`${stamp}.`), raw]);
    return verifyHmacHeader(header(headers, 'x-signature'), signed, secret, 'sha256=');
  },
  deliveryId: (headers) => header(headers, 'x-delivery-id'),
  signedTimestamp: (headers) => header(headers, 'x-signature-timestamp'),
  event(headers, payload): HookEvent {
    const name = header(headers, 'x-event') ?? 'push';
    if (name === 'ping') return { kind: 'ping', name };
    if (name !== 'push') return { kind: 'other', name };
    const repos: string[] = [];
    const single =
      stringAt(payload, 'repository') ?? stringAt(payload, 'repository.url') ?? stringAt(payload, 'repo');
    if (single) repos.push(single);
    if (isObject(payload) && Array.isArray(payload.repositories)) {
      for (const item of payload.repositories) if (typeof item === 'string' && item !== '') repos.push(item);
    }
    const ref = stringAt(payload, 'ref');
    const revision = stringAt(payload, 'revision');
    return { kind: 'push', name, repos, ...(ref ? { ref } : {}), ...(revision ? { revision } : {}) };
  },
};
