import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AuditInput, type Logger, WheelhouseError } from '../../core/index.js';
import { sessionSchema, signOutSchema } from '../../wire/index.js';
import { principalOf } from '../auth.js';
import { createRequestLimiter } from '../webhooks/rate-limit.js';
import { zodRoutes } from '../zod-routes.js';
import { sessionIdOf, sessionOf } from './authenticator.js';
import { setSessionCookie } from './cookie.js';
import type { ActiveSession, Sessions } from './sessions.js';

export interface SessionRouteOptions {
  sessions: Sessions;
  log: Logger;
  /** Where the admin token is, for the refusal message (never the token). */
  adminTokenPath: string;
  audit(input: AuditInput): Promise<unknown>;
  /** Who the actor is by the policy in force: person, groups, where rights come from (`whoami`). */
  describe?: (actor: string) => { person?: string; groups: readonly string[]; rights: string[] };
  /** Where to end a single sign-on session at the provider too (RP-initiated logout). */
  logoutUrl?: (session: ActiveSession, request: FastifyRequest) => string | undefined;
  /** Sign-in attempts per client address: bursts of `burst`, then `perMinute`. */
  rateLimit?: { perMinute: number; burst: number };
}

/** A request from another site's page (its Origin is not this server) never signs in. */
function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined || origin === '') return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host === undefined || host !== request.host) {
    throw new WheelhouseError(
      'FORBIDDEN',
      `sign-in refused: the request came from ${origin}, not from this server's dashboard; open the dashboard at this server's address`,
    );
  }
}

/** `POST /api/v1/session`: sign in with a token. Public (it is how a browser gets credentials). */
export function signInRoutes(options: SessionRouteOptions) {
  const limiter = createRequestLimiter(options.rateLimit ?? { perMinute: 30, burst: 30 });
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.post(
      '/api/v1/session',
      {
        schema: {
          summary: 'Sign in to the dashboard: exchange a token for a session cookie',
          description:
            'Answers 201 with the user and the CSRF token, and sets an HttpOnly, SameSite=Strict session cookie (Secure over https). Requests with the cookie that change something must send the CSRF token as `X-CSRF-Token`. Bearer-token requests need neither.',
          tags: ['session'],
          security: [],
          body: z.strictObject({
            token: z
              .string()
              .min(1)
              .max(512)
              .describe('a personal token (`wheelhouse user add`) or the admin token'),
          }),
          response: { 201: sessionSchema },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        checkOrigin(request);
        const wait = limiter.take(request.ip);
        if (wait > 0) {
          reply.header('Retry-After', String(wait));
          throw new WheelhouseError(
            'RATE_LIMITED',
            `too many sign-in attempts from ${request.ip}; wait ${wait} s and try again`,
          );
        }
        const { token } = request.body;
        const signedIn = await options.sessions.signIn(token.trim());
        if (!signedIn) {
          options.log.info({ ip: request.ip }, 'dashboard sign-in refused: unknown token');
          throw new WheelhouseError(
            'UNAUTHENTICATED',
            `sign-in refused: that token is not known; use a personal token from \`wheelhouse user add <name>\` or the admin token in ${options.adminTokenPath}`,
          );
        }
        setSessionCookie(request, reply, signedIn.id, options.sessions.ttlMs / 1000);
        await options.audit({
          actor: signedIn.principal.actor,
          action: 'session.signin',
          platform: 'web',
          decision: 'allowed',
          result: `signed in until ${signedIn.expiresAt}`,
        });
        return reply.code(201).send({
          user: signedIn.principal.user,
          actor: signedIn.principal.actor,
          via: signedIn.principal.via,
          csrfToken: signedIn.csrfToken,
          expiresAt: signedIn.expiresAt,
        });
      },
    );
  };
}

/** `GET /api/v1/session` (who am I, and the CSRF token) and `DELETE` (sign out), behind the API's auth. */
export function sessionRoutes(options: SessionRouteOptions) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/session',
      {
        schema: {
          summary: 'Who the caller is; with a dashboard session also its CSRF token and expiry',
          tags: ['session'],
          response: { 200: sessionSchema },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const principal = principalOf(request);
        const current = sessionOf(request);
        const described = options.describe?.(principal.actor);
        return {
          user: principal.user,
          actor: principal.actor,
          via: principal.via,
          ...(described?.person ? { person: described.person } : {}),
          ...(described && described.groups.length > 0 ? { groups: [...described.groups] } : {}),
          ...(described ? { rights: described.rights } : {}),
          ...(current ? { csrfToken: current.session.csrfToken, expiresAt: current.session.expiresAt } : {}),
        };
      },
    );

    app.delete(
      '/api/v1/session',
      {
        schema: {
          summary: 'Sign out: revoke the dashboard session and clear its cookie',
          tags: ['session'],
          response: { 200: signOutSchema },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const current = sessionOf(request);
        const id = current?.id ?? sessionIdOf(request);
        if (!current || id === undefined) {
          throw new WheelhouseError(
            'BAD_REQUEST',
            'this request authenticated with a bearer token, which has no session to end; remove a personal token with `wheelhouse user remove <name>`',
          );
        }
        const revoked = await options.sessions.signOut(id);
        setSessionCookie(request, reply, '', 0);
        await options.audit({
          actor: current.session.principal.actor,
          action: 'session.signout',
          platform: 'web',
          decision: 'allowed',
          result: 'signed out',
        });
        const logoutUrl = options.logoutUrl?.(current.session, request);
        return { signedOut: revoked, ...(logoutUrl ? { logoutUrl } : {}) };
      },
    );
  };
}
