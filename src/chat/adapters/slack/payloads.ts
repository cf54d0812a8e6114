import { z } from 'zod';

/**
 * The shapes of what Slack sends (Events API envelopes, slash commands, block actions), as far
 * as Wheelhouse reads them. Unknown fields pass; a payload missing what we need is ignored.
 */

export const urlVerificationSchema = z.looseObject({
  type: z.literal('url_verification'),
  challenge: z.string().max(500),
});

const innerEventSchema = z.looseObject({
  type: z.string(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  channel: z.string().optional(),
  channel_type: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

export const eventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  team_id: z.string().optional(),
  api_app_id: z.string().optional(),
  authorizations: z
    .array(z.looseObject({ user_id: z.string().optional(), is_bot: z.boolean().optional() }))
    .optional(),
  event: innerEventSchema,
});

export type EventCallback = z.infer<typeof eventCallbackSchema>;
export type SlackEvent = z.infer<typeof innerEventSchema>;

export const slashCommandSchema = z.looseObject({
  command: z.string(),
  text: z.string().default(''),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
  response_url: z.string().optional(),
  team_id: z.string().optional(),
});

export type SlashCommand = z.infer<typeof slashCommandSchema>;

export const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  trigger_id: z.string().optional(),
  user: z.looseObject({ id: z.string().min(1) }),
  container: z
    .looseObject({ message_ts: z.string().optional(), channel_id: z.string().optional() })
    .optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(
    z.looseObject({
      action_id: z.string(),
      value: z.string().optional(),
      action_ts: z.string().optional(),
      type: z.string().optional(),
    }),
  ),
});

export type BlockActions = z.infer<typeof blockActionsSchema>;
