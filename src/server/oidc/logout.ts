import type { FastifyRequest } from 'fastify';
import type { ActiveSession } from '../session/index.js';

/**
 * Where to send the browser to end the provider's session too (OpenID Connect RP-Initiated Logout
 * 1.0): its end_session_endpoint with the ID token as hint, back to this dashboard afterwards.
 * Undefined for token sessions and providers without the endpoint.
 */
export function providerLogoutUrl(
  session: ActiveSession,
  request: FastifyRequest,
  clientId: string | undefined,
): string | undefined {
  const sso = session.sso;
  if (!sso?.endSessionUrl) return undefined;
  const url = new URL(sso.endSessionUrl);
  if (sso.idToken) url.searchParams.set('id_token_hint', sso.idToken);
  if (clientId) url.searchParams.set('client_id', clientId);
  url.searchParams.set('post_logout_redirect_uri', `${request.protocol}://${request.host}/`);
  return url.toString();
}
