import {
  type Block,
  type Button,
  type ChatMessage,
  type MessageStatus,
  mapMessageText,
} from '../../core/index.js';

/** Builders for platform-neutral messages; every message carries its plain-text rendering. */
export const text = (value: string): Block => ({ type: 'text', text: value });
export const context = (value: string): Block => ({ type: 'context', text: value });
export const code = (value: string, language?: string): Block =>
  language ? { type: 'code', text: value, language } : { type: 'code', text: value };
export const fields = (
  entries: Readonly<Record<string, string>> | { label: string; value: string }[],
): Block => ({
  type: 'fields',
  fields: Array.isArray(entries)
    ? entries
    : Object.entries(entries).map(([label, value]) => ({ label, value })),
});
export const buttons = (...list: Button[]): Block => ({ type: 'buttons', buttons: list });

export function message(blocks: Block[], status?: MessageStatus): ChatMessage {
  const out: ChatMessage = { text: plainText(blocks), blocks };
  if (status) out.status = status;
  return out;
}

/** What a button does when typed instead of clicked (platforms without buttons, plain text). */
export function buttonCommand(button: Button): string | undefined {
  if (button.action === 'approval.approve') return `approve ${button.value}`;
  if (button.action === 'approval.deny') return `deny ${button.value}`;
  return undefined;
}

/** The plain-text fallback: what IRC shows, what notifications and logs carry. */
export function plainText(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        out.push(block.text);
        break;
      case 'context':
        out.push(block.text);
        break;
      case 'fields':
        for (const field of block.fields) out.push(`${field.label}: ${field.value}`);
        break;
      case 'code':
        out.push(block.text.replace(/\n+$/, ''));
        break;
      case 'buttons':
        out.push(
          block.buttons
            .map((b) => {
              const typed = buttonCommand(b);
              return typed ? `${b.label}: type \`${typed}\`` : b.label;
            })
            .join(' · '),
        );
        break;
    }
  }
  return out.join('\n');
}

/** Cut long text to `max` characters, saying how much was left out. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const kept = value.slice(0, Math.max(0, max - 40));
  const cut = kept.lastIndexOf('\n') > max / 2 ? kept.slice(0, kept.lastIndexOf('\n')) : kept;
  return `${cut}\n… (${value.length - cut.length} more characters not shown)`;
}

/** The message with every text passed through `redact` (button actions and values stay as they are). */
export function redactMessage(msg: ChatMessage, redact: (text: string) => string): ChatMessage {
  return mapMessageText(msg, redact);
}
