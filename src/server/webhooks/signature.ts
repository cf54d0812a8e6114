import { createHmac } from 'node:crypto';
import { safeEqual } from '../../util/index.js';
import type { Verification } from './provider.js';

export function hmacSha256Hex(secret: string, raw: Buffer): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

/**
 * Verifies a hex HMAC-SHA256 of the raw body, optionally behind a prefix (`sha256=`). The hex is
 * compared case-insensitively and in constant time.
 */
export function verifyHmacHeader(
  value: string | undefined,
  raw: Buffer,
  secret: string,
  prefix = '',
): Verification {
  if (value === undefined) return 'missing';
  const trimmed = value.trim();
  if (prefix && !trimmed.toLowerCase().startsWith(prefix)) return 'invalid';
  const given = trimmed.slice(prefix.length).toLowerCase();
  return safeEqual(given, hmacSha256Hex(secret, raw)) ? 'ok' : 'invalid';
}

/** Verifies a shared token sent as is (GitLab), in constant time. */
export function verifyToken(value: string | undefined, secret: string): Verification {
  if (value === undefined) return 'missing';
  return safeEqual(value, secret) ? 'ok' : 'invalid';
}
