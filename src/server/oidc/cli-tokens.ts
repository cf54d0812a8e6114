import { randomBytes } from 'node:crypto';
import { forgetGroups, rememberGroups } from '../../access/index.js';
import { hashToken, safeEqual } from '../../util/index.js';
import type { Principal } from '../auth.js';
import { codeChallenge } from './pending-logins.js';

/** What `wheelhouse login` gets: a short-lived bearer token and the refresh token that renews it. */
export interface CliTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working (ISO). */
  expiresAt: string;
  /** When the refresh token stops working: then `wheelhouse login` again. */
  refreshExpiresAt: string;
  user: string;
  actor: string;
}

interface Grant {
  principal: Principal;
  groups: readonly string[];
  /** The verified email the provider gave, when the actor does not carry it (GitHub). */
  email?: string;
  /** The provider's refresh token: a renewal asks the provider first (it may refuse). */
  upstream?: string;
  expiresAt: number;
  /** One sign-in: its access and refresh tokens share it, and revoking ends them all. */
  family: string;
}

/** Every access token `wheelhouse login` hands out starts so, to be told apart from personal tokens. */
export const CLI_TOKEN_PREFIX = 'whsso_';

const random = (): string => randomBytes(32).toString('base64url');

/** What a sign-in's tokens carry from one to the next. */
const carried = (grant: Grant): Omit<Grant, 'expiresAt'> => ({
  principal: grant.principal,
  groups: grant.groups,
  family: grant.family,
  ...(grant.email ? { email: grant.email } : {}),
  ...(grant.upstream ? { upstream: grant.upstream } : {}),
});

/**
 * Tokens for the CLI from single sign-on, kept (hashed) in this process: a one-time code the
 * browser's redirect carries to the CLI's loopback listener (redeemed with the CLI's PKCE
 * verifier), access tokens (default 1 hour) and rotating refresh tokens (default 12 hours from
 * sign-in). A restart ends them all: `wheelhouse login` again.
 */
export function createCliTokens(
  options: { accessTtlMs?: number; refreshTtlMs?: number; now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  const accessTtlMs = options.accessTtlMs ?? 60 * 60_000;
  const refreshTtlMs = options.refreshTtlMs ?? 12 * 60 * 60_000;
  const codes = new Map<string, Grant & { challenge: string }>();
  const access = new Map<string, Grant>();
  const refresh = new Map<string, Grant>();

  const holder = (grant: Pick<Grant, 'family'>) => `cli:${grant.family}`;
  const prune = (map: Map<string, Grant>) => {
    for (const [key, grant] of map) {
      if (grant.expiresAt > now()) continue;
      map.delete(key);
      // A login whose refresh token ran out is over: what it said of the person's groups goes.
      if (map === refresh) forgetGroups(grant.principal.actor, holder(grant));
    }
  };

  function issue(grant: Omit<Grant, 'expiresAt'>, refreshExpiresAt: number): CliTokens {
    prune(access);
    prune(refresh);
    const accessToken = `${CLI_TOKEN_PREFIX}${random()}`;
    const refreshToken = random();
    const expiresAt = Math.min(now() + accessTtlMs, refreshExpiresAt);
    access.set(hashToken(accessToken), { ...grant, expiresAt });
    refresh.set(hashToken(refreshToken), { ...grant, expiresAt: refreshExpiresAt });
    rememberGroups(grant.principal.actor, grant.groups, holder(grant), grant.email);
    return {
      accessToken,
      refreshToken,
      expiresAt: new Date(expiresAt).toISOString(),
      refreshExpiresAt: new Date(refreshExpiresAt).toISOString(),
      user: grant.principal.user,
      actor: grant.principal.actor,
    };
  }

  return {
    /** A one-time code for the CLI that started the sign-in (its PKCE challenge), good 2 minutes. */
    issueCode(grant: Omit<Grant, 'expiresAt' | 'family'>, challenge: string): string {
      prune(codes);
      const code = random();
      codes.set(hashToken(code), { ...grant, family: random(), challenge, expiresAt: now() + 2 * 60_000 });
      return code;
    },
    /** Redeems a code once, with the verifier whose S256 hash the CLI sent at the start. */
    redeem(code: string, verifier: string): CliTokens | undefined {
      const key = hashToken(code);
      const grant = codes.get(key);
      codes.delete(key);
      if (!grant || grant.expiresAt <= now() || !safeEqual(codeChallenge(verifier), grant.challenge))
        return undefined;
      return issue(carried(grant), now() + refreshTtlMs);
    },
    /** The provider's refresh token behind a live refresh token, to ask the provider before renewing. */
    upstreamOf(refreshToken: string): string | undefined {
      const grant = refresh.get(hashToken(refreshToken));
      return grant && grant.expiresAt > now() ? grant.upstream : undefined;
    },
    /**
     * A new access token for a live refresh token; the refresh token is replaced (used once).
     * `renewed`: what the provider answered when asked (its new refresh token, current groups).
     */
    refresh(
      refreshToken: string,
      renewed: { upstream?: string; groups?: readonly string[] } = {},
    ): CliTokens | undefined {
      const key = hashToken(refreshToken);
      const grant = refresh.get(key);
      refresh.delete(key);
      if (!grant || grant.expiresAt <= now()) return undefined;
      return issue({ ...carried(grant), ...renewed }, grant.expiresAt);
    },
    /** The person behind a live access token. */
    resolve(accessToken: string): Principal | undefined {
      if (!accessToken.startsWith(CLI_TOKEN_PREFIX)) return undefined;
      const grant = access.get(hashToken(accessToken));
      if (!grant || grant.expiresAt <= now()) return undefined;
      return grant.principal;
    },
    /** Ends a sign-in: its refresh token and every access token it gave; answers whose it was. */
    revoke(refreshToken: string): Principal | undefined {
      const key = hashToken(refreshToken);
      const grant = refresh.get(key);
      if (!grant) return undefined;
      for (const map of [access, refresh])
        for (const [k, g] of map) if (g.family === grant.family) map.delete(k);
      forgetGroups(grant.principal.actor, holder(grant));
      return grant.principal;
    },
  };
}

export type CliTokenStore = ReturnType<typeof createCliTokens>;
