import type { Block, Button, ChatMessage } from '../../../core/index.js';
import { mapMessageText } from '../../../core/index.js';
import { escapeControl } from '../../../util/escape-control.js';

/**
 * The neutral message as IRC text: plain lines (IRC has no blocks, buttons or edits). Fields are
 * `Label: value`, code is shown line by line, and buttons become the command to type — approvals
 * on IRC are text commands (`!wh approve 3fa9c2d1`). Long messages are cut to `maxLines` with a
 * note saying how much was left out.
 */
export interface IrcRenderOptions {
  /** The command prefix people type, e.g. `!wh`. */
  prefix: string;
  /** Most lines one message may take (flood control makes every line cost time). */
  maxLines: number;
  /** Address the first line to this nick (`alice: …`), for replies to someone's command. */
  addressee?: string;
}

/** What a button does when typed instead of clicked. */
function typedCommand(button: Button): string | undefined {
  if (button.action === 'approval.approve') return `approve ${button.value}`;
  if (button.action === 'approval.deny') return `deny ${button.value}`;
  return undefined;
}

function blockLines(block: Block, prefix: string): string[] {
  switch (block.type) {
    case 'text':
    case 'context':
      return block.text.split('\n');
    case 'fields':
      return block.fields.map((field) => `${field.label}: ${field.value.replace(/\n+/g, ' ')}`);
    case 'code':
      return block.text.replace(/\n+$/, '').split('\n');
    case 'buttons': {
      const parts = block.buttons.map((button) => {
        const typed = typedCommand(button);
        return typed ? `${button.label}: ${prefix} ${typed}` : button.label;
      });
      return parts.length > 0 ? [`→ ${parts.join(' · ')}`] : [];
    }
  }
}

/** Logical lines (not yet cut to IRC's byte limit). */
export function renderIrc(raw: ChatMessage, options: IrcRenderOptions): string[] {
  // Control characters from Git, locks and people are shown, never passed to the client.
  const message = mapMessageText(raw, escapeControl);
  const source =
    message.blocks.length > 0 ? message.blocks.flatMap((b) => blockLines(b, options.prefix)) : [message.text];
  const lines = source.flatMap((l) => l.split('\n')).filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const max = Math.max(2, options.maxLines);
  let shown = lines;
  if (lines.length > max) {
    const kept = lines.slice(0, max - 1);
    // Keep the buttons' line: on IRC it is how a request is approved.
    const action = lines.find((line) => line.startsWith('→ '));
    if (action && !kept.includes(action)) kept[kept.length - 1] = action;
    const left = lines.length - kept.length;
    shown = [
      ...kept,
      `… ${left} more line${left === 1 ? '' : 's'} not shown here (the dashboard has all of it)`,
    ];
  }
  if (options.addressee) shown = [`${options.addressee}: ${shown[0] ?? ''}`, ...shown.slice(1)];
  return shown;
}
