import { createHash, randomBytes } from 'node:crypto';

/** What one sign-in started with, kept until the provider sends the browser back (once). */
export interface PendingLogin {
  state: string;
  nonce: string;
  /** PKCE: the secret whose S256 hash went to the provider as the code challenge. */
  codeVerifier: string;
  redirectUri: string;
  expiresAt: number;
  /** Set when `wheelhouse login` started it: where its loopback listener waits, and its PKCE challenge. */
  cli?: CliLogin;
}

export interface CliLogin {
  redirect: string;
  challenge: string;
  state: string;
}

const random = (): string => randomBytes(32).toString('base64url');

/** The PKCE S256 code challenge for a verifier (RFC 7636 4.2). */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Sign-ins under way, by state. `take` removes the entry, so a state is good for one callback:
 * a replayed callback finds nothing. Entries older than `ttlMs` are dropped; at most `limit` are
 * kept (the oldest go first), so abandoned sign-ins cannot grow memory.
 */
export function createPendingLogins(options: { ttlMs?: number; limit?: number; now?: () => number } = {}) {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const limit = options.limit ?? 10_000;
  const now = options.now ?? Date.now;
  const pending = new Map<string, PendingLogin>();
  return {
    start(redirectUri: string, cli?: CliLogin): PendingLogin {
      const at = now();
      for (const [state, login] of pending) if (login.expiresAt <= at) pending.delete(state);
      while (pending.size >= limit) {
        const oldest = pending.keys().next().value;
        if (oldest === undefined) break;
        pending.delete(oldest);
      }
      const login: PendingLogin = {
        state: random(),
        nonce: random(),
        codeVerifier: random(),
        redirectUri,
        expiresAt: at + ttlMs,
        ...(cli ? { cli } : {}),
      };
      pending.set(login.state, login);
      return login;
    },
    take(state: string): PendingLogin | undefined {
      const login = pending.get(state);
      pending.delete(state);
      return login && login.expiresAt > now() ? login : undefined;
    },
  };
}

export type PendingLogins = ReturnType<typeof createPendingLogins>;
