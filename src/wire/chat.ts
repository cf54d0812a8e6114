import { z } from 'zod';

/** One block of a bot message (core's `Block`), as the built-in chat's API returns it. */
export const blockSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({
      type: z.literal('fields'),
      fields: z.array(z.object({ label: z.string(), value: z.string() })),
    }),
    z.object({ type: z.literal('code'), text: z.string(), language: z.string().optional() }),
    z.object({ type: z.literal('context'), text: z.string() }),
    z.object({
      type: z.literal('buttons'),
      buttons: z.array(
        z.object({
          action: z.string().describe('what the click does, e.g. `approval.approve`'),
          label: z.string(),
          value: z.string().describe('handed back on click (e.g. the approval id)'),
          style: z.enum(['primary', 'danger']).optional(),
        }),
      ),
    }),
  ])
  .meta({ id: 'ChatBlock' });

/** How the work a bot message reports on stands: clients wait for a final one. */
export const messageStatusSchema = z.enum([
  'working',
  'done',
  'failed',
  'refused',
  'awaiting-approval',
  'info',
]);

/** A platform-neutral rich message (core's `ChatMessage`): plain text plus blocks. */
export const richMessageSchema = z
  .object({
    text: z.string().describe('plain-text rendering, always present'),
    blocks: z.array(blockSchema),
    status: messageStatusSchema.optional(),
  })
  .meta({ id: 'RichMessage' });

/** A message of the built-in chat as the API shows it. */
export const chatMessageSchema = z
  .object({
    id: z.string(),
    room: z.string(),
    thread: z
      .string()
      .describe('id of the thread’s first message; absent for a top-level message')
      .optional(),
    author: z.string(),
    bot: z.boolean(),
    text: z.string(),
    message: richMessageSchema.describe('the rich message (text and blocks) of a bot message').optional(),
    status: messageStatusSchema.optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ChatMessage' });

/** A chat command as clients see it (suggestions as people type, platform registrations). */
export const commandEntrySchema = z
  .object({
    name: z.string(),
    aliases: z.array(z.string()),
    group: z.enum(['read', 'operate', 'git']),
    usage: z.string(),
    summary: z.string(),
    permission: z.string().describe('what the access policy must grant to run it').optional(),
    examples: z.array(z.string()),
  })
  .meta({ id: 'ChatCommand' });
