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
