import type { Block, Button, ChatMessage, MessageStatus } from '../../../core/index.js';
import { mapMessageText } from '../../../core/index.js';
import { escapeControl } from '../../../util/escape-control.js';

/**
 * The neutral message as a Mattermost post: text and code blocks become the Markdown `message`;
 * fields, context (the footer), the status colour and buttons go in one message attachment
 * (`props.attachments`). Buttons call Wheelhouse's integration URL with a context Wheelhouse
 * signs (see action-context.ts), passed in by `button`. Mentions in echoed text are defused
 * (`@channel` would notify everyone), and the post is cut to Mattermost's 16,383 characters.
 */
export const MATTERMOST_MESSAGE_MAX = 16_383;
const FIELD_MAX = 3000;

export interface MattermostAction {
  id: string;
  name: string;
  type: 'button';
  style: 'primary' | 'danger' | 'default';
  integration: { url: string; context: Record<string, unknown> };
}

export interface MattermostAttachment {
  fallback: string;
  color?: string;
  fields?: { title: string; value: string; short: boolean }[];
  actions?: MattermostAction[];
  footer?: string;
}

export interface MattermostPostBody {
  message: string;
  props: { attachments?: MattermostAttachment[] };
}

const COLORS: Readonly<Partial<Record<MessageStatus, string>>> = {
  working: '#3B82F6',
  done: '#2EB67D',
  failed: '#E01E5A',
  refused: '#9CA3AF',
  'awaiting-approval': '#ECB22E',
};

/** `@channel`, `@all`, `@here` and `@user` in echoed text notify nobody (e-mail addresses stay as they are). */
export function defuseMentions(text: string): string {
  return text.replace(/(^|[^\w.+-])@(?=[A-Za-z0-9_])/g, '$1@\u200b');
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '\n… (cut; the dashboard has all of it)';
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`;
}

function fence(text: string, language: string | undefined, max: number): string {
  const body = text.replace(/\n+$/, '').replace(/```/g, '`\u200b``');
  const open = `\`\`\`${language ?? ''}\n`;
  const room = max - open.length - 4;
  if (room < 60) return '';
  const kept =
    body.length <= room
      ? body
      : `${body.slice(0, room - 40)}\n… ${body.length - (room - 40)} more characters`;
  return `${open}${kept}\n\`\`\``;
}

/** `button` builds the action for one button (its integration URL and signed context). */
export function renderMattermost(
  raw: ChatMessage,
  button: (b: Button) => MattermostAction | undefined,
): MattermostPostBody {
  // Control characters from Git, locks and people are shown, never passed to the client.
  const message = mapMessageText(raw, escapeControl);
  const blocks: readonly Block[] =
    message.blocks.length > 0 ? message.blocks : [{ type: 'text', text: message.text }];
  const parts: string[] = [];
  const fields: NonNullable<MattermostAttachment['fields']> = [];
  const footer: string[] = [];
  const actions: MattermostAction[] = [];
  const textLength = blocks.reduce((n, b) => n + (b.type === 'text' ? b.text.length + 1 : 0), 0);
  const codes = blocks.filter((b) => b.type === 'code').length;
  const codeRoom = Math.floor(
    Math.max(0, MATTERMOST_MESSAGE_MAX - Math.min(textLength, 8000)) / Math.max(1, codes),
  );
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        parts.push(defuseMentions(block.text));
        break;
      case 'code': {
        const text = fence(block.text, block.language, codeRoom);
        if (text) parts.push(text);
        break;
      }
      case 'fields':
        for (const f of block.fields) {
          fields.push({
            title: defuseMentions(f.label),
            value: cut(defuseMentions(f.value), FIELD_MAX),
            short: f.value.length <= 40,
          });
        }
        break;
      case 'context':
        footer.push(defuseMentions(block.text));
        break;
      case 'buttons':
        for (const b of block.buttons) {
          const action = button(b);
          if (action) actions.push(action);
        }
        break;
    }
  }
  const text = parts.join('\n');
  const attachment: MattermostAttachment = { fallback: cut(defuseMentions(message.text), 3000) };
  const color = message.status ? COLORS[message.status] : undefined;
  if (color) attachment.color = color;
  if (fields.length > 0) attachment.fields = fields;
  if (actions.length > 0) attachment.actions = actions;
  if (footer.length > 0) attachment.footer = cut(footer.join(' · '), 2000);
  const rich = fields.length > 0 || actions.length > 0 || footer.length > 0;
  return {
    message: cut(text, MATTERMOST_MESSAGE_MAX),
    props: rich || color ? { attachments: [attachment] } : {},
  };
}
