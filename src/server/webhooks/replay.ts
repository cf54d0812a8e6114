import { createHash } from 'node:crypto';

/**
 * Replay protection for verified webhook deliveries. A delivery id is not signed by any host,
 * so a captured delivery sent again under a new id passed the id check. Two bounds remain:
 * - where the sender signs a timestamp (the generic receiver's `X-Signature-Timestamp`), a
 *   delivery older or newer than `maxAgeSeconds` is refused;
 * - for every delivery, the hash of the signed bytes (timestamp and body) is remembered as long
 *   as delivery ids are (the store's delivery window), and the same signed bytes again are a
 *   duplicate. Hosts that sign only the body (GitHub, Gitea, Bitbucket) get this bound alone.
 */

/** Why a signed timestamp is refused, or undefined when it is fresh. */
export function staleTimestamp(
  stamp: string,
  nowMs: number,
  maxAgeSeconds: number,
  header: string,
): string | undefined {
  if (!/^\d{1,12}$/.test(stamp)) {
    return `${header} must be the sending time in Unix seconds (digits only), got ${JSON.stringify(stamp.slice(0, 40))}`;
  }
  const skew = Math.abs(nowMs / 1000 - Number(stamp));
  if (skew <= maxAgeSeconds) return undefined;
  return `${header} is ${Math.round(skew)} s away from the server's clock, more than the ${maxAgeSeconds} s a delivery may be old: a replayed delivery, or a clock out of sync on the sender (sign with the current time and check NTP)`;
}

/** The key a delivery's signed bytes are remembered under. */
export function signedBytesKey(raw: Buffer, stamp: string | undefined): string {
  const hash = createHash('sha256');
  if (stamp !== undefined) hash.update(`${stamp}.`);
  return hash.update(raw).digest('hex');
}
