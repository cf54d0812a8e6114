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
  })
  .meta({ id: 'Session' });

/** How a browser may sign in (`GET /api/v1/session/methods`, public): single sign-on first when set up. */
export const signInMethodsSchema = z
  .object({
    sso: z
      .object({
        url: z.string().describe('open this address to sign in through the identity provider'),
        issuer: z.string(),
      })
      .optional()
      .describe('present when auth.oidc is configured in wheelhouse.yaml'),
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
