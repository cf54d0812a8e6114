import type { JWK } from 'jose';
import { errorMessage, type Logger, WheelhouseError } from '../../../core/index.js';

/** A signing key of the Bot Framework, with the channels it is endorsed for. */
export interface SigningKey {
  kid: string;
  jwk: JWK;
  endorsements: string[];
}

export interface OpenIdKeys {
  /** The key with this id; fetched again (at most once per cooldown) when it is not known. */
  key(kid: string): Promise<SigningKey | undefined>;
  /** Whether any keys were fetched yet (without them nothing can be verified). */
  loaded(): boolean;
}

export interface OpenIdKeysOptions {
  /** The OpenID metadata document; its `jwks_uri` names the keys. */
  metadataUrl: string;
  log: Logger;
  /** Keys older than this are fetched again; default 24 h. */
  maxAgeMs?: number;
  /** An unknown key id fetches again at most this often; default 30 s. */
  refreshCooldownMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/**
 * The Bot Framework's signing keys, from the OpenID metadata document's `jwks_uri`: cached,
 * refreshed when old, and fetched again when a token names a key id not seen yet (keys rotate).
 */
export function createOpenIdKeys(options: OpenIdKeysOptions): OpenIdKeys {
  const now = options.now ?? Date.now;
  const maxAge = options.maxAgeMs ?? 24 * 3_600_000;
  const cooldown = options.refreshCooldownMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let keys = new Map<string, SigningKey>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  async function fetchKeys(): Promise<void> {
    attemptedAt = now();
    try {
      const metadata = (await getJson(options.metadataUrl, timeoutMs)) as { jwks_uri?: unknown };
      if (typeof metadata.jwks_uri !== 'string' || !/^https?:\/\//.test(metadata.jwks_uri)) {
        throw new Error('the metadata document has no jwks_uri');
      }
      const set = (await getJson(metadata.jwks_uri, timeoutMs)) as { keys?: unknown };
      if (!Array.isArray(set.keys)) throw new Error(`${metadata.jwks_uri} holds no keys array`);
      const next = new Map<string, SigningKey>();
      for (const raw of set.keys as (JWK & { endorsements?: unknown })[]) {
        if (typeof raw.kid !== 'string' || raw.kty !== 'RSA' || (raw.use !== undefined && raw.use !== 'sig'))
          continue;
        const endorsements = Array.isArray(raw.endorsements)
          ? raw.endorsements.filter((e): e is string => typeof e === 'string')
          : [];
        const { endorsements: _e, ...jwk } = raw;
        next.set(raw.kid, { kid: raw.kid, jwk, endorsements });
      }
      keys = next;
      fetchedAt = now();
      options.log.debug({ keys: next.size }, 'fetched the Bot Framework signing keys');
    } catch (err) {
      // The keys we have stay in use; the next attempt waits for the cooldown.
      throw new WheelhouseError(
        'UNAVAILABLE',
        `could not fetch the Bot Framework signing keys from ${options.metadataUrl}: ${errorMessage(err)} — check chat.teams.openIdMetadataUrl and that Wheelhouse can reach it`,
        { cause: err },
      );
    }
  }

  function refresh(): Promise<void> {
    inFlight ??= fetchKeys().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  async function refreshQuietly(): Promise<void> {
    try {
      await refresh();
    } catch (err) {
      options.log.warn({ err: errorMessage(err) }, 'could not refresh the Bot Framework signing keys');
    }
  }

  return {
    async key(kid) {
      const mayTry = () => now() - attemptedAt >= cooldown;
      if (keys.size === 0 && (mayTry() || inFlight)) await refresh();
      else if (now() - fetchedAt > maxAge && mayTry()) await refreshQuietly();
      const known = keys.get(kid);
      if (known) return known;
      if (mayTry()) await refreshQuietly();
      return keys.get(kid);
    },
    loaded: () => keys.size > 0,
  };
}
