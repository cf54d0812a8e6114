import { WheelhouseError } from '../../core/index.js';
import type { IssuerMetadata } from './discovery.js';

export interface ClientCredentials {
  clientId: string;
  /** Absent for a public client: PKCE alone then proves the code is ours. */
  clientSecret?: string;
}

/** What the token endpoint answers (RFC 6749 5.1; the ID token from OIDC Core 3.1.3.3). */
export interface TokenSet {
  id_token: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

/** `client_secret_basic` (RFC 6749 2.3.1): id and secret form-encoded, then base64. */
function basicAuth(client: ClientCredentials & { clientSecret: string }): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}

/** Posts a grant to the issuer's token endpoint; a refusal says what the provider said. */
export async function requestTokens(
  metadata: IssuerMetadata,
  client: ClientCredentials,
  grant: Record<string, string>,
  timeoutMs = 10_000,
): Promise<TokenSet> {
  const body = new URLSearchParams(grant);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.clientSecret !== undefined)
    headers.authorization = basicAuth({ ...client, clientSecret: client.clientSecret });
  else body.set('client_id', client.clientId);
  let response: Response;
  try {
    response = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `could not reach the identity provider's token endpoint ${metadata.token_endpoint} (${err instanceof Error ? err.message : String(err)}); try again, or check the provider is up`,
      { cause: err },
    );
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof answer.id_token !== 'string') {
    const said =
      typeof answer.error === 'string'
        ? `${answer.error}${typeof answer.error_description === 'string' ? `: ${answer.error_description}` : ''}`
        : `status ${response.status}`;
    throw new WheelhouseError(
      'UNAUTHENTICATED',
      `sign-in refused by the identity provider's token endpoint ${metadata.token_endpoint} (${said}); check auth.oidc.clientId and the secret in auth.oidc.clientSecretEnv, then sign in again`,
    );
  }
  return answer as unknown as TokenSet;
}
