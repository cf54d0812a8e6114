import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { InboundRequest } from '../../../core/index.js';

/**
 * Discord signs every interaction with the application's Ed25519 key: `X-Signature-Ed25519` is
 * the signature (hex) of `X-Signature-Timestamp + raw body`. Anything that does not verify — and
 * any timestamp further than the allowed skew from now, either way — is refused (401).
 */
export function discordPublicKey(hex: string): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
}

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: string };

export function verifyDiscordRequest(
  key: KeyObject,
  request: Pick<InboundRequest, 'headers' | 'rawBody'>,
  options: { nowMs: number; maxSkewSeconds: number },
): Verification {
  const signature = request.headers['x-signature-ed25519'];
  const timestamp = request.headers['x-signature-timestamp'];
  if (!signature || !timestamp) return { ok: false, reason: 'the request is not signed' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: 'the signature is malformed' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'the signature timestamp is malformed' };
  const seconds = Number(timestamp);
  if (Math.abs(options.nowMs / 1000 - seconds) > options.maxSkewSeconds) {
    return { ok: false, reason: 'the signature timestamp is too old or in the future' };
  }
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
  let valid = false;
  try {
    valid = verify(null, signed, key, Buffer.from(signature, 'hex'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true, timestamp: seconds } : { ok: false, reason: 'the signature does not verify' };
}
