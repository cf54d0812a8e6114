import type { Block, ChatMessage } from './ports/chat.js';

/**
 * The message with every text people read passed through `map` (block texts, field labels and
 * values, button labels, the plain-text rendering); button actions and values stay as they are.
 * Redaction and the renderers' escaping of control characters both go through here.
 */
export function mapMessageText(msg: ChatMessage, map: (text: string) => string): ChatMessage {
  const blocks = msg.blocks.map((block): Block => {
    switch (block.type) {
      case 'fields':
        return {
          type: 'fields',
          fields: block.fields.map((f) => ({ label: map(f.label), value: map(f.value) })),
        };
      case 'buttons':
        return { type: 'buttons', buttons: block.buttons.map((b) => ({ ...b, label: map(b.label) })) };
      default:
        return { ...block, text: map(block.text) };
    }
  });
  return { ...msg, text: map(msg.text), blocks };
}
