import type { ControlConfig } from '../../core/index.js';
import type { IssuerCache } from './discovery.js';
import { clientSecret, oidcSettings } from './routes.js';
import { requestTokens } from './token-exchange.js';
import { verifyIdToken } from './verify-id-token.js';

/** What the provider answered to a renewal: its next refresh token and the person's groups now. */
export interface ProviderRenewal {
  upstream?: string;
  groups: readonly string[];
}

/**
 * Asks the OpenID provider to renew a `wheelhouse login` with the refresh token it gave at sign-in
 * (RFC 6749 6): a person the provider disabled, or whose session it ended, is refused there, and
 * a renewal carries the groups the provider says now. Throws the provider's refusal.
 */
export function providerRefresher(
  config: () => ControlConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
  issuers: IssuerCache,
): (upstream: string) => Promise<ProviderRenewal> {
  return async (upstream) => {
    const oidc = oidcSettings(config);
    const issuer = await issuers.get(oidc.issuer);
    const secret = clientSecret(oidc, env);
    const tokens = await requestTokens(
      issuer.metadata,
      { clientId: oidc.clientId, ...(secret === undefined ? {} : { clientSecret: secret }) },
      { grant_type: 'refresh_token', refresh_token: upstream },
    );
    const person = await verifyIdToken(tokens.id_token, issuer, oidc, undefined);
    return { ...(tokens.refresh_token ? { upstream: tokens.refresh_token } : {}), groups: person.groups };
  };
}
