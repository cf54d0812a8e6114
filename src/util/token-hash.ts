import { createHash, randomBytes } from 'node:crypto';

/** How API tokens are stored: the hex sha256 of the token, never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random API token (256 bits, URL-safe base64, prefixed so it is recognisable in a leak scan). */
export function newToken(prefix = 'wh_'): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}
