import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorId, SSO_PLATFORM } from '../../access/index.js';
import {
  type AuditInput,
  type ControlConfig,
  type Logger,
  type OidcSettings,
  WheelhouseError,
} from '../../core/index.js';
import { signInMethodsSchema } from '../../wire/index.js';
import type { Principal } from '../auth.js';
import { setSessionCookie } from '../session/cookie.js';
import type { Sessions } from '../session/index.js';
import { zodRoutes } from '../zod-routes.js';
import type { CliTokenStore } from './cli-tokens.js';
import type { IssuerCache } from './discovery.js';
import { type CliLogin, codeChallenge, type PendingLogins } from './pending-logins.js';
import { requestTokens } from './token-exchange.js';
import { verifyIdToken } from './verify-id-token.js';

export const OIDC_LOGIN_PATH = '/auth/oidc/login';
/** Sign-in with GitHub (`auth.github`): github.ts. */
export const GITHUB_LOGIN_PATH = '/auth/github/login';
export const GITHUB_CALLBACK_PATH = '/auth/github/callback';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
/** Binds a sign-in's state to the browser that started it (against login CSRF). */
export const STATE_COOKIE = 'wheelhouse_oidc_state';

export interface OidcRouteOptions {
  config: () => ControlConfig | undefined;
  env: Readonly<Record<string, string | undefined>>;
  sessions: Sessions;
  issuers: IssuerCache;
  pending: PendingLogins;
  cliTokens: CliTokenStore;
  log: Logger;
  audit(input: AuditInput): Promise<unknown>;
}

/** `auth.oidc` in force, or a refusal that says how to turn it on. */
export function oidcSettings(config: () => ControlConfig | undefined): OidcSettings {
  const oidc = config()?.auth?.oidc;
  if (!oidc) {
    throw new WheelhouseError(
      'NOT_FOUND',
      'single sign-on is not configured on this server: add auth.oidc (issuer, clientId) to wheelhouse.yaml, see docs/authentication.md; until then sign in with a token',
    );
  }
  return oidc;
}

export function clientSecret(oidc: OidcSettings, env: OidcRouteOptions['env']): string | undefined {
  if (!oidc.clientSecretEnv) return undefined;
  const secret = env[oidc.clientSecretEnv];
  if (!secret) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `single sign-on cannot finish: auth.oidc.clientSecretEnv names ${oidc.clientSecretEnv}, which is not set in Wheelhouse's environment; set it to the client secret and restart`,
    );
  }
  return secret;
}

function redirectUri(oidc: OidcSettings, request: FastifyRequest): string {
  return oidc.redirectUrl ?? `${request.protocol}://${request.host}${OIDC_CALLBACK_PATH}`;
}

/**
 * The cookie that binds one sign-in's state to this browser: one per sign-in (named after its
 * state), so two tabs signing in at once do not overwrite each other's.
 */
const stateCookieName = (state: string) => `${STATE_COOKIE}_${state.slice(0, 16)}`;

/** Sets (or, with maxAgeS 0, clears) the cookie of the sign-in whose state is `state`. */
export function stateCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  state: string,
  maxAgeS: number,
): void {
  reply.setCookie(stateCookieName(state), maxAgeS > 0 ? state : '', {
    // Lax: the provider sends the browser back with a top-level GET from its own site.
    sameSite: 'lax',
    httpOnly: true,
    secure: request.protocol === 'https',
    path: '/auth/',
    maxAge: maxAgeS,
    ...(maxAgeS <= 0 ? { expires: new Date(0) } : {}),
  });
}

/** The state this browser holds for the sign-in whose state came back on the callback. */
export function browserState(request: FastifyRequest, state: string): string | undefined {
  return state ? request.cookies[stateCookieName(state)] : undefined;
}

/**
 * Sign-in through an OpenID Connect issuer: the authorization-code flow with PKCE (S256), a state
 * bound to the browser by a cookie and good for one callback, and a nonce checked in the ID token.
 * Public routes: they are how a browser without credentials gets a session.
 */
export function oidcRoutes(options: OidcRouteOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    zodRoutes(app).get(
      '/api/v1/session/methods',
      {
        schema: {
          summary: 'How to sign in here: single sign-on (when auth.oidc is configured) and tokens',
          tags: ['session'],
          security: [],
          response: { 200: signInMethodsSchema },
        },
      },
      async (_request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const auth = options.config()?.auth;
        const sso = auth?.oidc
          ? { url: OIDC_LOGIN_PATH, issuer: auth.oidc.issuer, provider: 'oidc' as const }
          : auth?.github
            ? { url: GITHUB_LOGIN_PATH, issuer: auth.github.url, provider: 'github' as const }
            : undefined;
        return { ...(sso ? { sso } : {}), token: true as const };
      },
    );

    app.get(OIDC_LOGIN_PATH, { schema: { hide: true } }, async (request, reply) => {
      const oidc = oidcSettings(options.config);
      const issuer = await options.issuers.get(oidc.issuer);
      const login = options.pending.start(redirectUri(oidc, request), cliLogin(request));
      // A `wheelhouse login` asks the provider for the right to renew it (a refresh token), so each
      // renewal is the provider's decision; OIDC Core 11 wants consent asked for offline access.
      const renewable =
        login.cli !== undefined && issuer.metadata.scopes_supported?.includes('offline_access');
      const scopes = renewable ? [...new Set([...oidc.scopes, 'offline_access'])] : oidc.scopes;
      const url = new URL(issuer.metadata.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: oidc.clientId,
        redirect_uri: login.redirectUri,
        scope: scopes.join(' '),
        ...(renewable ? { prompt: 'consent' } : {}),
        state: login.state,
        nonce: login.nonce,
        code_challenge: codeChallenge(login.codeVerifier),
        code_challenge_method: 'S256',
      }).toString();
      stateCookie(request, reply, login.state, 600);
      reply.header('Cache-Control', 'no-store');
      return reply.redirect(url.toString(), 302);
    });

    app.get(OIDC_CALLBACK_PATH, { schema: { hide: true } }, async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const query = request.query as Record<string, string | undefined>;
      const oidc = oidcSettings(options.config);
      if (query.error) {
        throw new WheelhouseError(
          'UNAUTHENTICATED',
          `sign-in refused by the identity provider (${query.error}${query.error_description ? `: ${query.error_description}` : ''}); ask its admin whether you may use this client (${oidc.clientId})`,
        );
      }
      const state = query.state ?? '';
      const login = state ? options.pending.take(state) : undefined;
      const held = browserState(request, state);
      if (state) stateCookie(request, reply, state, 0);
      if (!login || held !== state || !query.code) {
        options.log.info(
          { ip: request.ip },
          'single sign-on callback refused: unknown, used or foreign state',
        );
        throw new WheelhouseError(
          'UNAUTHENTICATED',
          'sign-in refused: this sign-in link was already used, has expired, or was started in another browser; start again from the sign-in page',
        );
      }
      const issuer = await options.issuers.get(oidc.issuer);
      const tokens = await requestTokens(
        issuer.metadata,
        { clientId: oidc.clientId, ...optionalSecret(clientSecret(oidc, options.env)) },
        {
          grant_type: 'authorization_code',
          code: query.code,
          redirect_uri: login.redirectUri,
          code_verifier: login.codeVerifier,
        },
      );
      const person = await verifyIdToken(tokens.id_token, issuer, oidc, login.nonce);
      const actor = actorId(SSO_PLATFORM, person.person);
      return completeSignIn(options, request, reply, login.cli, {
        principal: { user: person.person, actor, via: 'oidc' },
        groups: person.groups,
        through: oidc.issuer,
        idToken: tokens.id_token,
        ...(issuer.metadata.end_session_endpoint
          ? { endSessionUrl: issuer.metadata.end_session_endpoint }
          : {}),
        ...(login.cli && tokens.refresh_token ? { upstream: tokens.refresh_token } : {}),
      });
    });
  };
}

/** Who a provider vouched for, and what the session keeps for sign-out at the provider. */
export interface VouchedSignIn {
  principal: Principal;
  groups: readonly string[];
  /** The provider's address, for the audit log. */
  through: string;
  email?: string;
  idToken?: string;
  endSessionUrl?: string;
  /** The provider's refresh token for a `wheelhouse login`: each renewal asks the provider with it. */
  upstream?: string;
}

/**
 * The end of every single sign-on: a `wheelhouse login` gets a one-time code at its loopback
 * listener; a browser gets the dashboard's session cookie and lands on the overview. Audited.
 */
export async function completeSignIn(
  options: Pick<OidcRouteOptions, 'sessions' | 'cliTokens' | 'audit'>,
  request: FastifyRequest,
  reply: FastifyReply,
  cli: CliLogin | undefined,
  who: VouchedSignIn,
): Promise<FastifyReply> {
  const { principal, groups, through, email } = who;
  const inGroups = groups.length > 0 ? ` (groups ${groups.join(', ')})` : '';
  if (cli) {
    const code = options.cliTokens.issueCode(
      { principal, groups, ...(email ? { email } : {}), ...(who.upstream ? { upstream: who.upstream } : {}) },
      cli.challenge,
    );
    await options.audit({
      actor: principal.actor,
      action: 'session.signin',
      platform: 'cli',
      decision: 'allowed',
      result: `signed in to the CLI through ${through}${inGroups}`,
    });
    const back = new URL(cli.redirect);
    back.search = new URLSearchParams({ code, state: cli.state }).toString();
    return reply.redirect(back.toString(), 302);
  }
  const signedIn = options.sessions.signInPerson({
    principal,
    groups,
    ...(email ? { email } : {}),
    ...(who.idToken ? { idToken: who.idToken } : {}),
    ...(who.endSessionUrl ? { endSessionUrl: who.endSessionUrl } : {}),
  });
  setSessionCookie(request, reply, signedIn.id, options.sessions.ttlMs / 1000);
  await options.audit({
    actor: principal.actor,
    action: 'session.signin',
    platform: 'web',
    decision: 'allowed',
    result: `signed in through ${through} until ${signedIn.expiresAt}${inGroups}`,
  });
  return reply.redirect('/', 302);
}

/** Only a listener on this machine may receive a CLI's code: http on a loopback address, path /callback. */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}\/callback$/;

/** `wheelhouse login`'s parameters on the login URL, checked; undefined for a browser sign-in. */
export function cliLogin(request: FastifyRequest): CliLogin | undefined {
  const query = request.query as Record<string, string | undefined>;
  if (query.cli_redirect === undefined) return undefined;
  const { cli_redirect: redirect, cli_challenge: challenge, cli_state: state } = query;
  if (
    !LOOPBACK.test(redirect) ||
    !challenge ||
    !/^[\w-]{43}$/.test(challenge) ||
    !state ||
    state.length > 128
  ) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      'cli_redirect must be http://127.0.0.1:<port>/callback (a listener on this machine) with cli_challenge (PKCE S256) and cli_state; run `wheelhouse login` rather than building this URL by hand',
    );
  }
  return { redirect, challenge, state };
}

function optionalSecret(secret: string | undefined): { clientSecret?: string } {
  return secret === undefined ? {} : { clientSecret: secret };
}
