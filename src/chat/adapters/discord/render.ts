import type { Block, Button, ChatMessage, MessageStatus } from '../../../core/index.js';
import { mapMessageText } from '../../../core/index.js';
import { escapeControl } from '../../../util/escape-control.js';

/**
 * The neutral message as a Discord message: the first text block is the content (what
 * notifications and previews show), the rest goes in one embed coloured by status (text and code
 * blocks in the description, fields as inline fields, context as the footer), and buttons become
 * message components whose `custom_id` carries the action. Everything is cut to Discord's limits,
 * and `allowed_mentions` is empty: nothing the bot echoes can ping @everyone or a role.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  label: 80,
  customId: 100,
} as const;

export interface DiscordEmbed {
  description?: string;
  color?: number;
  fields?: { name: string; value: string; inline: boolean }[];
  footer?: { text: string };
}

export interface DiscordButton {
  type: 2;
  style: 1 | 2 | 3 | 4;
  label: string;
  custom_id: string;
}

export interface DiscordMessageBody {
  content: string;
  embeds: DiscordEmbed[];
  components: { type: 1; components: DiscordButton[] }[];
  allowed_mentions: { parse: string[] };
}

const COLORS: Readonly<Partial<Record<MessageStatus, number>>> = {
  working: 0x3b82f6,
  done: 0x2eb67d,
  failed: 0xe01e5a,
  refused: 0x9ca3af,
  'awaiting-approval': 0xecb22e,
};

/** `wh:<action>:<value>` — what a click hands back. */
export function customIdOf(button: Pick<Button, 'action' | 'value'>): string {
  return `wh:${button.action}:${button.value}`;
}

export function parseCustomId(id: string): { action: string; value: string } | undefined {
  const match = /^wh:([a-z][a-z0-9._-]{0,40}):(.{1,80})$/s.exec(id);
  return match?.[1] && match[2] ? { action: match[1], value: match[2] } : undefined;
}

/** Cut to `max` characters, saying so. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '… (cut; the dashboard has all of it)';
  return `${text.slice(0, Math.max(0, max - note.length - 1)).trimEnd()}\n${note}`.slice(0, max);
}

/** A fenced code block that stays closed however much of it is cut. */
function fence(text: string, language: string | undefined, max: number): string {
  const open = `\`\`\`${language ?? ''}\n`;
  const close = '\n```';
  // A fence inside the code would end ours early.
  const body = text.replace(/\n+$/, '').replace(/```/g, '`\u200b``');
  const room = max - open.length - close.length;
  if (room <= 0) return '';
  if (body.length <= room) return `${open}${body}${close}`;
  if (room < 60) return '';
  // Cut at a line end where one is near, and say how much is left out (the note is < 40 chars).
  let kept = room - 40;
  const lineEnd = body.lastIndexOf('\n', kept);
  if (lineEnd > kept / 2) kept = lineEnd;
  return `${open}${body.slice(0, kept)}\n… ${body.length - kept} more characters${close}`;
}

function styleOf(button: Button): DiscordButton['style'] {
  if (button.style === 'primary') return 1;
  if (button.style === 'danger') return 4;
  return 2;
}

/** As many fields as fit `room` characters (names and values) and Discord's count, the last one cut. */
function fitFields(
  fields: NonNullable<DiscordEmbed['fields']>,
  room: number,
): NonNullable<DiscordEmbed['fields']> {
  const out: NonNullable<DiscordEmbed['fields']> = [];
  let left = room;
  for (const [i, field] of fields.entries()) {
    const lastSlot = out.length === DISCORD_LIMITS.fields - 1 && fields.length - i > 1;
    const size = field.name.length + field.value.length;
    if (!lastSlot && size <= left - 40) {
      out.push(field);
      left -= size;
      continue;
    }
    let more = fields.length - i;
    if (!lastSlot && left - field.name.length > 120) {
      const value = cut(field.value, left - field.name.length - 40);
      out.push({ ...field, value });
      left -= field.name.length + value.length;
      more -= 1;
    }
    const note = { name: '…', value: `${more} more field${more === 1 ? '' : 's'} not shown`, inline: false };
    if (more > 0 && left >= note.name.length + note.value.length && out.length < DISCORD_LIMITS.fields) {
      out.push(note);
    }
    break;
  }
  return out;
}

type DescriptionItem = { kind: 'text'; text: string } | { kind: 'code'; text: string; language?: string };

/** Text and code blocks in order, within `room` characters: code shares what the text leaves. */
function describe(items: readonly DescriptionItem[], room: number): string {
  const separators = Math.max(0, items.length - 1);
  const space = Math.max(0, room - separators);
  const texts = items.filter((i) => i.kind === 'text');
  const codes = items.length - texts.length;
  const textTotal = texts.reduce((n, i) => n + i.text.length, 0);
  const codeFull = items
    .filter((i): i is Extract<DescriptionItem, { kind: 'code' }> => i.kind === 'code')
    .reduce((n, i) => n + fence(i.text, i.language, Number.MAX_SAFE_INTEGER).length, 0);
  const fits = textTotal + codeFull <= space;
  let textLeft = fits ? textTotal : codes > 0 ? Math.min(textTotal, Math.floor(space / 2)) : space;
  const codeEach = fits ? Number.MAX_SAFE_INTEGER : Math.floor((space - textLeft) / Math.max(1, codes));
  const parts: string[] = [];
  for (const item of items) {
    if (item.kind === 'text') {
      const text = cut(item.text, Math.max(0, textLeft));
      textLeft -= text.length;
      if (text) parts.push(text);
    } else {
      const text = fence(item.text, item.language, codeEach);
      if (text) parts.push(text);
    }
  }
  return parts.join('\n');
}

export function renderDiscord(raw: ChatMessage): DiscordMessageBody {
  // Control characters from Git, locks and people are shown, never passed to the client.
  const message = mapMessageText(raw, escapeControl);
  const blocks: readonly Block[] =
    message.blocks.length > 0 ? message.blocks : [{ type: 'text', text: message.text }];
  const firstText = blocks.findIndex((b) => b.type === 'text');
  const head = blocks[firstText];
  const content = head?.type === 'text' ? cut(head.text, DISCORD_LIMITS.content) : '';
  const items: DescriptionItem[] = [];
  const fields: NonNullable<DiscordEmbed['fields']> = [];
  const footer: string[] = [];
  const buttons: Button[] = [];
  blocks.forEach((block, i) => {
    if (i === firstText) return;
    switch (block.type) {
      case 'text':
        items.push({ kind: 'text', text: block.text });
        break;
      case 'code':
        items.push({
          kind: 'code',
          text: block.text,
          ...(block.language ? { language: block.language } : {}),
        });
        break;
      case 'fields':
        for (const f of block.fields) {
          fields.push({
            name: cut(f.label || '\u200b', DISCORD_LIMITS.fieldName),
            value: cut(f.value || '\u200b', DISCORD_LIMITS.fieldValue),
            inline: f.value.length <= 60,
          });
        }
        break;
      case 'context':
        footer.push(block.text);
        break;
      case 'buttons':
        buttons.push(...block.buttons);
        break;
    }
  });
  const footerText = cut(footer.join(' · '), DISCORD_LIMITS.footer);
  // Fields may use what the footer and (up to 2,000 characters of) the description leave.
  const wanted = items.reduce((n, i) => n + i.text.length + 12, 0);
  const shownFields = fitFields(
    fields,
    DISCORD_LIMITS.embedTotal - footerText.length - Math.min(wanted, 2000),
  );
  const fieldChars = shownFields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const room = Math.min(
    DISCORD_LIMITS.description,
    DISCORD_LIMITS.embedTotal - fieldChars - footerText.length,
  );
  const description = describe(items, room);
  const embed: DiscordEmbed = {};
  if (description) embed.description = description;
  if (shownFields.length > 0) embed.fields = shownFields;
  if (footerText) embed.footer = { text: footerText };
  const hasEmbed = Object.keys(embed).length > 0;
  const color = message.status ? COLORS[message.status] : undefined;
  if (hasEmbed && color !== undefined) embed.color = color;

  const usable = buttons
    .filter((b) => customIdOf(b).length <= DISCORD_LIMITS.customId)
    .slice(0, DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.rows);
  const components: DiscordMessageBody['components'] = [];
  for (let i = 0; i < usable.length; i += DISCORD_LIMITS.buttonsPerRow) {
    components.push({
      type: 1,
      components: usable.slice(i, i + DISCORD_LIMITS.buttonsPerRow).map((b) => ({
        type: 2,
        style: styleOf(b),
        label: cut(b.label, DISCORD_LIMITS.label),
        custom_id: customIdOf(b),
      })),
    });
  }
  return {
    // Discord refuses a message with neither content nor embeds.
    content: content || (hasEmbed ? '' : '\u200b'),
    embeds: hasEmbed ? [embed] : [],
    components,
    allowed_mentions: { parse: [] },
  };
}
