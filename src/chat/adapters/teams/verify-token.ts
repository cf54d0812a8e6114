import { decodeProtectedHeader, errors, importJWK, type JWTPayload, jwtVerify } from 'jose';
import { errorMessage, isWheelhouseError } from '../../../core/index.js';
import type { OpenIdKeys } from './openid-keys.js';

/** Tokens may be this far past their expiry (or before their start): Bot Framework's 5 minutes of skew. */
export const CLOCK_SKEW_SECONDS = 300;

export type TokenCheck =
  | { ok: true; claims: JWTPayload }
  /** `unavailable`: the keys could not be fetched (answer 503, the channel retries). */
  | { ok: false; reason: string; unavailable?: boolean };

export interface TokenVerifierOptions {
  keys: OpenIdKeys;
  /** The bot's Microsoft App ID: the token's audience. */
  appId: string;
  issuers: readonly string[];
  now?: () => number;
}

export interface TokenVerifier {
  /** Checks `Authorization: Bearer <jwt>` against the activity it came with. */
  verify(
    authorization: string | undefined,
    activity: { channelId?: string; serviceUrl?: string },
  ): Promise<TokenCheck>;
}

/**
 * Bot Framework's connector-to-bot authentication: an RS256 JWT signed with a key from the
 * OpenID metadata's JWKS, issued by the Bot Framework, for this bot's app id, not expired (5
 * minutes of skew), signed by a key endorsed for the activity's channel, and naming the
 * activity's `serviceUrl` in its `serviceurl` claim.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  // Imported keys by kid and modulus (a rotated key under an old kid imports again).
  const imported = new Map<string, ReturnType<typeof importJWK>>();
  const importKey = (key: NonNullable<Awaited<ReturnType<OpenIdKeys['key']>>>) => {
    const id = `${key.kid}:${String(key.jwk.n)}`;
    let found = imported.get(id);
    if (!found) {
      if (imported.size > 50) imported.clear();
      found = importJWK(key.jwk, 'RS256');
      imported.set(id, found);
      found.catch(() => imported.delete(id));
    }
    return found;
  };
  return {
    async verify(authorization, activity) {
      const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '')?.[1];
      if (!token) return { ok: false, reason: 'no bearer token in the Authorization header' };
      let kid: string | undefined;
      try {
        const header = decodeProtectedHeader(token);
        if (header.alg !== 'RS256')
          return { ok: false, reason: `the token is signed with ${String(header.alg)}, not RS256` };
        kid = header.kid;
      } catch {
        return { ok: false, reason: 'the bearer token is not a JWT' };
      }
      if (!kid) return { ok: false, reason: 'the token names no signing key (kid)' };
      let key: Awaited<ReturnType<OpenIdKeys['key']>>;
      try {
        key = await options.keys.key(kid);
      } catch (err) {
        return { ok: false, unavailable: true, reason: errorMessage(err) };
      }
      if (!key) {
        return options.keys.loaded()
          ? {
              ok: false,
              reason: `the token is signed with a key the Bot Framework does not publish (kid ${kid})`,
            }
          : { ok: false, unavailable: true, reason: 'the Bot Framework signing keys are not available yet' };
      }
      let claims: JWTPayload;
      try {
        const verified = await jwtVerify(token, await importKey(key), {
          algorithms: ['RS256'],
          issuer: [...options.issuers],
          audience: options.appId,
          clockTolerance: CLOCK_SKEW_SECONDS,
          requiredClaims: ['exp'],
          currentDate: new Date(now()),
        });
        claims = verified.payload;
      } catch (err) {
        return { ok: false, reason: reasonOf(err) };
      }
      if (!activity.channelId || !key.endorsements.includes(activity.channelId)) {
        return {
          ok: false,
          reason: `the signing key is not endorsed for channel ${JSON.stringify(activity.channelId ?? '')}`,
        };
      }
      if (typeof claims.serviceurl !== 'string' || claims.serviceurl !== activity.serviceUrl) {
        return { ok: false, reason: "the token's serviceurl claim does not match the activity's serviceUrl" };
      }
      return { ok: true, claims };
    },
  };
}

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token expired (more than 5 minutes ago)';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'the token comes from an issuer that is not trusted (chat.teams.issuers)';
    if (err.claim === 'aud')
      return "the token is for another audience, not this bot's app id (chat.teams.appId)";
    if (err.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${err.claim} claim is not valid`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (isWheelhouseError(err)) return err.message;
  return `the token is not valid: ${errorMessage(err)}`;
}
