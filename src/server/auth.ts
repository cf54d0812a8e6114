import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Store, WheelhouseError } from '../core/index.js';
import { hashToken, safeEqual } from '../util/index.js';

/** Who made a request. The admin token is the user `admin`. */
export interface Principal {
  user: string;
  /** The actor recorded in audit and history: `api:<user>`. */
  actor: string;
  /** How the request authenticated (`admin-token`, `user-token`, or an extra authenticator's name). */
  via: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * An extra way to authenticate (the dashboard's session cookie, for one). Returns undefined when
 * the request does not carry its credential, so the next one is tried.
 */
export type Authenticator = (request: FastifyRequest) => Promise<Principal | undefined>;

export interface AuthOptions {
  adminToken: string;
  adminTokenPath: string;
  store: Store;
  authenticators?: readonly Authenticator[];
  /** Bearer tokens besides the admin and personal ones (`wheelhouse login`'s). */
  bearer?: (token: string) => Principal | undefined;
}

const BEARER = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;

/** `onRequest` hook for `/api`: sets `request.principal` or throws UNAUTHENTICATED. */
export function createAuthHook(options: AuthOptions) {
  const how = `send \`Authorization: Bearer <token>\`: the admin token is in ${options.adminTokenPath}, personal tokens come from \`wheelhouse user add\``;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      for (const authenticate of options.authenticators ?? []) {
        const principal = await authenticate(request);
        if (principal) {
          request.principal = principal;
          return;
        }
      }
      reply.header('WWW-Authenticate', 'Bearer realm="wheelhouse"');
      throw new WheelhouseError('UNAUTHENTICATED', `missing Authorization header; ${how}`);
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      reply.header('WWW-Authenticate', 'Bearer realm="wheelhouse", error="invalid_request"');
      throw new WheelhouseError(
        'UNAUTHENTICATED',
        `malformed Authorization header: expected \`Bearer <token>\`; ${how}`,
      );
    }
    const principal = options.bearer?.(match[1]) ?? (await principalForToken(match[1], options));
    if (!principal) {
      reply.header('WWW-Authenticate', 'Bearer realm="wheelhouse", error="invalid_token"');
      throw new WheelhouseError('UNAUTHENTICATED', `token refused; ${how}`);
    }
    request.principal = principal;
  };
}

/** Resolves a bearer token: the admin token (constant-time compare) or a personal token by its hash. */
export async function principalForToken(
  token: string,
  options: Pick<AuthOptions, 'adminToken' | 'store'>,
): Promise<Principal | undefined> {
  if (safeEqual(token, options.adminToken)) return { user: 'admin', actor: 'api:admin', via: 'admin-token' };
  const user = await options.store.findUserByTokenHash(hashToken(token));
  if (!user) return undefined;
  return { user: user.name, actor: `api:${user.name}`, via: 'user-token' };
}

/** The request's principal; routes behind the auth hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new WheelhouseError('UNAUTHENTICATED', 'this route needs an authenticated caller');
  return request.principal;
}
