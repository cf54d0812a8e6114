import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../util/index.js';

/** Requests older than this are refused (Slack's replay window). */
export const MAX_REQUEST_AGE_MS = 5 * 60_000;
/** A timestamp ahead of our clock by more than this is refused (only clock skew may explain it). */
export const MAX_CLOCK_SKEW_MS = 5_000;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Slack's v0 signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Verifies a request Slack signed (`X-Slack-Signature`, `X-Slack-Request-Timestamp`): the
 * signature in constant time, and a timestamp within the last 5 minutes and not in the future.
 */
export function verifySlackRequest(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) {
    return { ok: false, reason: 'the X-Slack-Request-Timestamp or X-Slack-Signature header is missing' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'X-Slack-Request-Timestamp is not a number of seconds' };
  }
  const atMs = Number(timestamp) * 1000;
  if (input.nowMs - atMs > MAX_REQUEST_AGE_MS) {
    return {
      ok: false,
      reason: 'the request timestamp is more than 5 minutes old (a replay, or a clock off)',
    };
  }
  if (atMs - input.nowMs > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: 'the request timestamp is in the future (check the server clock)' };
  }
  const expected = slackSignature(input.signingSecret, timestamp, input.rawBody);
  if (!safeEqual(expected, signature)) {
    return { ok: false, reason: 'the signature does not match (wrong signing secret, or a forged request)' };
  }
  return { ok: true };
}
