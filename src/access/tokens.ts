import { createHash, randomBytes } from 'node:crypto';

/** A new personal API token: `wh_` and 32 random bytes (base64url). Shown once, stored hashed. */
export function newToken(): string {
  return `wh_${randomBytes(32).toString('base64url')}`;
}

/** The form tokens are stored and looked up in: sha256 of the token's UTF-8 bytes, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** User names for tokens: letters, digits, `.`, `_`, `-`; they become actor ids (`web:alice`). */
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
