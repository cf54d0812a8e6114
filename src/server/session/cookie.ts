import type { FastifyReply, FastifyRequest } from 'fastify';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './authenticator.js';

/** Sets (or, with `maxAgeS <= 0`, clears) the dashboard's session cookie. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  maxAgeS: number,
): void {
  const secure = request.protocol === 'https';
  reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, value, {
    maxAge: Math.max(0, Math.floor(maxAgeS)),
    ...(maxAgeS <= 0 ? { expires: new Date(0) } : {}),
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'strict',
  });
}
