import { z } from 'zod';

/** The parts of a Bot Framework activity Wheelhouse reads; unknown fields pass. */
const account = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

export const activitySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  name: z.string().optional(),
  channelId: z.string(),
  serviceUrl: z.string(),
  from: account.optional(),
  recipient: account.optional(),
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  text: z.string().optional(),
  replyToId: z.string().optional(),
  value: z.unknown().optional(),
  entities: z
    .array(
      z.looseObject({
        type: z.string(),
        text: z.string().optional(),
        mentioned: account.partial().optional(),
      }),
    )
    .optional(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string() }).optional() }).optional(),
});

export type Activity = z.infer<typeof activitySchema>;

/** `19:abc@thread.tacv2;messageid=1700` → the conversation and the thread's root message id. */
export function splitConversationId(id: string): { conversationId: string; threadId?: string } {
  const at = id.indexOf(';messageid=');
  if (at === -1) return { conversationId: id };
  const threadId = id.slice(at + ';messageid='.length);
  return threadId ? { conversationId: id.slice(0, at), threadId } : { conversationId: id.slice(0, at) };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The words a person typed: mentions of the bot (`<at>Wheelhouse</at>`) removed, other markup
 * dropped, HTML entities decoded, spaces collapsed.
 */
export function textOf(activity: Activity): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    if (entity.type === 'mention' && entity.mentioned?.id === botId && entity.text) {
      text = text.split(entity.text).join(' ');
    }
  }
  return text
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#\d+|[a-z]+);/gi, (m, name: string) => {
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The person behind an activity: the Entra ID object id when Teams sends it (stable), else the channel id. */
export function userOf(activity: Activity): string | undefined {
  return activity.from?.aadObjectId ?? activity.from?.id;
}

/** A button's click data, as Wheelhouse renders it into cards. */
export const clickDataSchema = z.looseObject({
  wheelhouse: z.looseObject({ action: z.string().min(1).max(64), value: z.string().max(256) }),
});

/** The data of an Action.Execute (`adaptiveCard/action` invoke) or an Action.Submit (message `value`). */
export function clickOf(activity: Activity): { action: string; value: string } | undefined {
  const raw =
    activity.type === 'invoke'
      ? (activity.value as { action?: { data?: unknown } } | undefined)?.action?.data
      : activity.value;
  const parsed = clickDataSchema.safeParse(raw);
  return parsed.success ? parsed.data.wheelhouse : undefined;
}
