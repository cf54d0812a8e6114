import type { AuthSettings } from '../core/index.js';
import { OIDC_DEFAULTS } from './defaults.js';
import type { ControlInput } from './schema/control.js';

/** `auth` as written -> settings with defaults; undefined when there is nothing to sign in with. */
export function buildAuthSettings(input: ControlInput['auth']): AuthSettings | undefined {
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
