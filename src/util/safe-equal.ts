import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (tokens, signatures) in constant time. Both sides are hashed first, so
 * the comparison takes the same time whatever their lengths and wherever they differ.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}
