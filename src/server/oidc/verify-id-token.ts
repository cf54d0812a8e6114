import { errors, jwtVerify } from 'jose';
import { type OidcSettings, WheelhouseError } from '../../core/index.js';
import type { Issuer } from './discovery.js';

/** Who the ID token says signed in. */
export interface VerifiedPerson {
  /** The person claim's value (an email by default). */
  person: string;
  groups: string[];
  subject: string;
}

/** Only asymmetric signatures: a client secret must never be enough to mint an ID token. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function refused(why: string, cause?: unknown): WheelhouseError {
  return new WheelhouseError(
    'UNAUTHENTICATED',
    `sign-in refused: the ID token from the identity provider ${why}; sign in again, and if it persists check auth.oidc in wheelhouse.yaml against the provider's client settings`,
    cause === undefined ? undefined : { cause },
  );
}

function why(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'has expired';
  if (err instanceof errors.JWKSNoMatchingKey) return "is signed by a key the issuer's key set does not hold";
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'has a signature that does not verify';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'is meant for another client (its audience is not auth.oidc.clientId)';
    if (err.claim === 'iss') return 'comes from another issuer than auth.oidc.issuer';
    return `fails its ${err.claim} check (${err.reason})`;
  }
  return `does not verify (${err instanceof Error ? err.message : String(err)})`;
}

/**
 * Verifies an ID token as OpenID Connect Core 3.1.3.7 asks: signature by the issuer's keys,
 * issuer, audience (and `azp` when there are several), expiry, and the nonce this sign-in sent;
 * then reads the person and groups claims.
 */
export async function verifyIdToken(
  token: string,
  issuer: Issuer,
  settings: Pick<OidcSettings, 'clientId' | 'personClaim' | 'groupsClaim'>,
  /** The sign-in's nonce; undefined for a token renewed with a refresh token (no nonce to compare). */
  nonce: string | undefined,
): Promise<VerifiedPerson> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, issuer.keys, {
      issuer: issuer.metadata.issuer,
      audience: settings.clientId,
      algorithms: ALGORITHMS,
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: 30,
    }));
  } catch (err) {
    throw refused(why(err), err);
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== settings.clientId) {
    throw refused('names several audiences but was not issued to auth.oidc.clientId (azp)');
  }
  if (nonce !== undefined && payload.nonce !== nonce)
    throw refused('carries another nonce than this sign-in sent (a replayed token?)');
  const person = payload[settings.personClaim];
  if (typeof person !== 'string' || person === '') {
    throw refused(
      `has no ${settings.personClaim} claim (auth.oidc.personClaim); ask for the scope that carries it in auth.oidc.scopes`,
    );
  }
  if (settings.personClaim === 'email' && payload.email_verified === false) {
    throw refused(`says the email ${person} is not verified; verify it at the provider`);
  }
  const raw = payload[settings.groupsClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === 'string')
    : typeof raw === 'string'
      ? [raw]
      : [];
  return { person, groups, subject: String(payload.sub) };
}
