import { z } from 'zod';
import { envName, optional, strictObject, text } from './fields.js';

const httpUrl = (what: string) =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    },
    { message: `${what} must be an http(s) URL, e.g. https://login.example.com/realms/team` },
  );

const claimName = (what: string) =>
  z.string().refine((value) => /^[A-Za-z_][A-Za-z0-9_:./-]*$/.test(value), {
    message: `${what} must be a claim name such as email, preferred_username or groups`,
  });

/** `auth.oidc`: single sign-on through an OpenID Connect issuer (docs/authentication.md). */
export const oidcSchema = strictObject({
  issuer: httpUrl('auth.oidc.issuer'),
  clientId: text('auth.oidc.clientId'),
  clientSecretEnv: optional(envName()),
  scopes: optional(z.array(text('scope')).min(1, 'list at least openid, or leave scopes out')),
  personClaim: optional(claimName('auth.oidc.personClaim')),
  groupsClaim: optional(claimName('auth.oidc.groupsClaim')),
  redirectUrl: optional(httpUrl('auth.oidc.redirectUrl')),
});

/** `auth.github`: sign-in with a GitHub OAuth app; orgs and teams are the groups (docs/authentication.md). */
export const githubAuthSchema = strictObject({
  clientId: text('auth.github.clientId'),
  clientSecretEnv: envName(),
  url: optional(httpUrl('auth.github.url')),
  apiUrl: optional(httpUrl('auth.github.apiUrl')),
  orgs: optional(z.array(text('org')).min(1, 'name at least one organisation, or leave orgs out')),
  redirectUrl: optional(httpUrl('auth.github.redirectUrl')),
});

export const authSchema = strictObject({
  oidc: optional(oidcSchema),
  github: optional(githubAuthSchema),
}).refine((auth) => !(auth.oidc && auth.github), {
  message:
    'auth: configure one way to sign in, oidc or github, not both; for both, put a broker such as Dex or Keycloak in front and use auth.oidc',
});
