import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { WheelhouseError } from '../../core/index.js';

/** The parts of an issuer's discovery document Wheelhouse uses. */
export interface IssuerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  /** Scopes the provider names; `offline_access` there means it can renew a sign-in (refresh tokens). */
  scopes_supported?: string[];
}

export interface Issuer {
  metadata: IssuerMetadata;
  /** The issuer's signing keys; an unknown key id fetches the set again (key rotation). */
  keys: JWTVerifyGetKey;
}

export interface DiscoveryOptions {
  /** Least time between two fetches of the key set; jose's default (30 s) unless set. */
  jwksCooldownMs?: number;
  timeoutMs?: number;
}

function stringField(document: Record<string, unknown>, field: string, where: string): string {
  const value = document[field];
  if (typeof value !== 'string' || value === '') {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `the OIDC discovery document at ${where} has no ${field}; check auth.oidc.issuer in wheelhouse.yaml points at the issuer itself`,
    );
  }
  return value;
}

/** Reads `<issuer>/.well-known/openid-configuration` and checks it is about that issuer. */
export async function fetchIssuerMetadata(issuer: string, timeoutMs = 10_000): Promise<IssuerMetadata> {
  const where = `${issuer}/.well-known/openid-configuration`;
  let document: Record<string, unknown>;
  try {
    const response = await fetch(where, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `could not read the OIDC discovery document at ${where} (${err instanceof Error ? err.message : String(err)}); check auth.oidc.issuer in wheelhouse.yaml and that the provider is reachable`,
      { cause: err },
    );
  }
  const metadata: IssuerMetadata = {
    issuer: stringField(document, 'issuer', where),
    authorization_endpoint: stringField(document, 'authorization_endpoint', where),
    token_endpoint: stringField(document, 'token_endpoint', where),
    jwks_uri: stringField(document, 'jwks_uri', where),
    ...(typeof document.end_session_endpoint === 'string'
      ? { end_session_endpoint: document.end_session_endpoint }
      : {}),
    ...(Array.isArray(document.scopes_supported)
      ? { scopes_supported: document.scopes_supported.filter((s): s is string => typeof s === 'string') }
      : {}),
  };
  if (metadata.issuer.replace(/\/+$/, '') !== issuer) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `the OIDC discovery document at ${where} names issuer ${metadata.issuer}, not ${issuer}; set auth.oidc.issuer in wheelhouse.yaml to exactly the issuer the provider names`,
    );
  }
  return metadata;
}

/**
 * Issuers by URL, discovered once and kept (a failed discovery is tried again next time). The key
 * set is jose's remote set: cached, fetched again when a token names a key id it does not hold.
 */
export function createIssuerCache(options: DiscoveryOptions = {}) {
  const issuers = new Map<string, Promise<Issuer>>();
  return {
    get(issuer: string): Promise<Issuer> {
      let found = issuers.get(issuer);
      if (!found) {
        found = fetchIssuerMetadata(issuer, options.timeoutMs).then((metadata) => ({
          metadata,
          keys: createRemoteJWKSet(new URL(metadata.jwks_uri), {
            ...(options.jwksCooldownMs !== undefined ? { cooldownDuration: options.jwksCooldownMs } : {}),
            ...(options.timeoutMs !== undefined ? { timeoutDuration: options.timeoutMs } : {}),
          }),
        }));
        found.catch(() => issuers.delete(issuer));
        issuers.set(issuer, found);
      }
      return found;
    },
  };
}

export type IssuerCache = ReturnType<typeof createIssuerCache>;
