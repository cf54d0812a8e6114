// Single sign-on through an OpenID Connect issuer: discovery and keys, the code flow with PKCE, ID-token checks.

export { cliTokenRoutes } from './cli-routes.js';
export { CLI_TOKEN_PREFIX, type CliTokenStore, type CliTokens, createCliTokens } from './cli-tokens.js';
export { createIssuerCache, type Issuer, type IssuerCache, type IssuerMetadata } from './discovery.js';
export { GITHUB_PLATFORM, githubRoutes } from './github.js';
export { providerLogoutUrl } from './logout.js';
export { createPendingLogins, type PendingLogins } from './pending-logins.js';
export { type ProviderRenewal, providerRefresher } from './provider-refresh.js';
export {
  OIDC_CALLBACK_PATH,
  OIDC_LOGIN_PATH,
  type OidcRouteOptions,
  oidcRoutes,
  oidcSettings,
} from './routes.js';
export { type VerifiedPerson, verifyIdToken } from './verify-id-token.js';
