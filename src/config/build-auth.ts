import type { AuthSettings } from '../core/index.js';
import { GITHUB_AUTH_DEFAULTS, OIDC_DEFAULTS } from './defaults.js';
import type { ControlInput } from './schema/control.js';

/** `auth` as written -> settings with defaults; undefined when there is nothing to sign in with. */
export function buildAuthSettings(input: ControlInput['auth']): AuthSettings | undefined {
  const github = input?.github;
  if (github) {
    return {
      github: {
        clientId: github.clientId,
        clientSecretEnv: github.clientSecretEnv,
        url: (github.url ?? GITHUB_AUTH_DEFAULTS.url).replace(/\/+$/, ''),
        apiUrl: (github.apiUrl ?? GITHUB_AUTH_DEFAULTS.apiUrl).replace(/\/+$/, ''),
        ...(github.orgs ? { orgs: github.orgs } : {}),
        ...(github.redirectUrl ? { redirectUrl: github.redirectUrl } : {}),
      },
    };
  }
  const oidc = input?.oidc;
  if (!oidc) return undefined;
  return {
    oidc: {
      issuer: oidc.issuer.replace(/\/+$/, ''),
      clientId: oidc.clientId,
      ...(oidc.clientSecretEnv ? { clientSecretEnv: oidc.clientSecretEnv } : {}),
      scopes: oidc.scopes ?? [...OIDC_DEFAULTS.scopes],
      personClaim: oidc.personClaim ?? OIDC_DEFAULTS.personClaim,
      groupsClaim: oidc.groupsClaim ?? OIDC_DEFAULTS.groupsClaim,
      ...(oidc.redirectUrl ? { redirectUrl: oidc.redirectUrl } : {}),
    },
  };
}
