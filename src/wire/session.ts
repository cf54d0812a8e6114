import { z } from 'zod';

/** Who the caller is (`GET /api/v1/session`, and the sign-in's answer). */
export const sessionSchema = z
  .object({
    user: z.string(),
    actor: z.string().describe('who actions are recorded as: `web:<user>` with a session'),
    via: z.string().describe('`session`, `admin-token` or `user-token`'),
    csrfToken: z
      .string()
      .describe('send it as `X-CSRF-Token` on every request that changes something')
      .optional(),
    expiresAt: z.string().optional(),
    person: z.string().optional().describe('the name `people` maps the caller to'),
    groups: z.array(z.string()).optional().describe("the identity provider's groups (single sign-on)"),
    rights: z.array(z.string()).optional().describe("where the caller's rights come from, one line each"),
  })
  .meta({ id: 'Session' });

/** How a browser may sign in (`GET /api/v1/session/methods`, public): single sign-on first when set up. */
export const signInMethodsSchema = z
  .object({
    sso: z
      .object({
        url: z.string().describe('open this address to sign in through the identity provider'),
        issuer: z.string().describe('the OpenID issuer, or the GitHub address people sign in at'),
        provider: z.enum(['oidc', 'github']),
      })
      .optional()
      .describe('present when auth.oidc or auth.github is configured in wheelhouse.yaml'),
    token: z.literal(true).describe('a personal or the admin token always works'),
  })
  .meta({ id: 'SignInMethods' });

/** The answer to sign-out (`DELETE /api/v1/session`). */
export const signOutSchema = z.object({
  signedOut: z.boolean(),
  logoutUrl: z
    .string()
    .optional()
    .describe(
      'single sign-on only: open it to end the session at the identity provider too (RP-initiated logout)',
    ),
});

/** What `wheelhouse login` gets (`POST /api/v1/session/cli` and `.../refresh`). */
export const cliTokensSchema = z.object({
  accessToken: z.string().describe('a bearer token for the API, short-lived'),
  refreshToken: z.string().describe('renews the access token until refreshExpiresAt; replaced at each use'),
  expiresAt: z.string(),
  refreshExpiresAt: z.string(),
  user: z.string(),
  actor: z.string(),
});
