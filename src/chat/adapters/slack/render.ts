import type { Block, Button, ChatMessage } from '../../../core/index.js';
import { mapMessageText } from '../../../core/index.js';
import { escapeControl } from '../../../util/escape-control.js';
import { escapeSlack } from './text.js';

/** Block Kit limits Slack enforces (it refuses a message that breaks one with `invalid_blocks`). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** The top-level `text` (notifications, fallback); Slack truncates beyond 40,000. */
  messageText: 3000,
} as const;

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface SlackButton {
  type: 'button';
  action_id: string;
  text: SlackText;
  value: string;
  style?: 'primary' | 'danger';
}

export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: SlackButton[] };

/** What chat.postMessage / chat.update take: the fallback text and the blocks. */
export interface SlackRendered {
  text: string;
  blocks: SlackBlock[];
}

export interface SlackRenderOptions {
  /** Wheelhouse's public URL: where cut text can be read in full. */
  dashboardUrl?: string;
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

/**
 * The neutral message as Block Kit: text → sections (split at lines to 3,000 characters), fields
 * → section fields (10 per section), code → a fenced section cut to 3,000 characters, context →
 * a context block, buttons → an actions block whose `action_id` is the button's action. Whatever
 * had to be cut says so and links to the dashboard; more than 50 blocks keep the head, the
 * buttons and the last context line.
 */
export function renderSlackMessage(raw: ChatMessage, options: SlackRenderOptions = {}): SlackRendered {
  // Control characters from Git, locks and people are shown, never passed to the client.
  const message = mapMessageText(raw, escapeControl);
  const blocks: SlackBlock[] = [];
  const actionIds = new Set<string>();
  let cut = false;
  for (const block of message.blocks) {
    const rendered = renderBlock(block, actionIds);
    cut ||= rendered.cut;
    blocks.push(...rendered.blocks);
  }
  if (cut) blocks.push(cutNote(options.dashboardUrl));
  return {
    text: fitText(escapeSlack(message.text), SLACK_LIMITS.messageText).text,
    blocks: capBlocks(blocks, options.dashboardUrl),
  };
}

function renderBlock(block: Block, actionIds: Set<string>): { blocks: SlackBlock[]; cut: boolean } {
  switch (block.type) {
    case 'text':
      return {
        blocks: chunkLines(escapeSlack(block.text), SLACK_LIMITS.sectionText).map((text) => ({
          type: 'section',
          text: mrkdwn(text),
        })),
        cut: false,
      };
    case 'fields': {
      const out: SlackBlock[] = [];
      let cut = false;
      for (let i = 0; i < block.fields.length; i += SLACK_LIMITS.fieldsPerSection) {
        const fields = block.fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((field) => {
          const fitted = fitText(
            `*${escapeSlack(field.label)}*\n${escapeSlack(field.value)}`,
            SLACK_LIMITS.fieldText,
          );
          cut ||= fitted.cut;
          return mrkdwn(fitted.text);
        });
        if (fields.length > 0) out.push({ type: 'section', fields });
      }
      return { blocks: out, cut };
    }
    case 'code': {
      const fitted = codeFence(block.text, SLACK_LIMITS.sectionText);
      return { blocks: [{ type: 'section', text: mrkdwn(fitted.text) }], cut: fitted.cut };
    }
    case 'context': {
      const fitted = fitText(escapeSlack(block.text), SLACK_LIMITS.contextText);
      return { blocks: [{ type: 'context', elements: [mrkdwn(fitted.text)] }], cut: fitted.cut };
    }
    case 'buttons': {
      const out: SlackBlock[] = [];
      const elements = block.buttons.map((button) => slackButton(button, actionIds));
      for (let i = 0; i < elements.length; i += SLACK_LIMITS.actionsElements) {
        out.push({ type: 'actions', elements: elements.slice(i, i + SLACK_LIMITS.actionsElements) });
      }
      return { blocks: out, cut: false };
    }
  }
}

function slackButton(button: Button, actionIds: Set<string>): SlackButton {
  // action_id carries the action (`approval.approve`); Slack wants it unique within the message.
  let actionId = button.action.slice(0, SLACK_LIMITS.actionId - 4);
  for (let n = 2; actionIds.has(actionId); n++)
    actionId = `${button.action.slice(0, SLACK_LIMITS.actionId - 4)}#${n}`;
  actionIds.add(actionId);
  const out: SlackButton = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: fitText(button.label, SLACK_LIMITS.buttonText).text, emoji: true },
    value: button.value.slice(0, SLACK_LIMITS.buttonValue),
  };
  if (button.style) out.style = button.style;
  return out;
}

/** The action a button's `action_id` stands for (`approval.approve#2` → `approval.approve`). */
export function actionOfId(actionId: string): string {
  return actionId.replace(/#\d+$/, '');
}

function cutNoteText(dashboardUrl: string | undefined): SlackText {
  const where = dashboardUrl
    ? `<${dashboardUrl.replace(/[|<>]/g, encodeURIComponent)}|Wheelhouse dashboard>`
    : 'Wheelhouse dashboard (or the `wheelhouse` CLI)';
  return mrkdwn(`✂️ Cut to fit Slack's limits; the full text is in the ${where}.`);
}

function cutNote(dashboardUrl: string | undefined): SlackBlock {
  return { type: 'context', elements: [cutNoteText(dashboardUrl)] };
}

/** At most 50 blocks: keep the head, every actions block and the closing context line. */
function capBlocks(blocks: SlackBlock[], dashboardUrl: string | undefined): SlackBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const lastContext = blocks.findLastIndex((b) => b.type === 'context');
  const keep = new Set<number>();
  blocks.forEach((b, i) => {
    if (b.type === 'actions' || i === lastContext) keep.add(i);
  });
  let room = SLACK_LIMITS.blocks - keep.size - 1;
  let firstDropped = -1;
  blocks.forEach((_b, i) => {
    if (keep.has(i)) return;
    if (room > 0) {
      keep.add(i);
      room--;
    } else if (firstDropped === -1) firstDropped = i;
  });
  const dropped = blocks.length - keep.size;
  const out: SlackBlock[] = [];
  blocks.forEach((b, i) => {
    if (i === firstDropped) {
      out.push({
        type: 'context',
        elements: [
          mrkdwn(`… ${dropped} more block${dropped === 1 ? '' : 's'} not shown.`),
          cutNoteText(dashboardUrl),
        ],
      });
    }
    if (keep.has(i)) out.push(b);
  });
  return out;
}

/** Cut text to `max` characters, saying so; cut at a line end when one is near. */
export function fitText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const marker = '…';
  let kept = text.slice(0, max - marker.length);
  const newline = kept.lastIndexOf('\n');
  if (newline > max / 2) kept = kept.slice(0, newline + 1);
  return { text: `${kept}${marker}`, cut: true };
}

/** Split text into pieces of at most `max` characters, at line ends where possible. */
export function chunkLines(text: string, max: number): string[] {
  if (text.trim() === '') return [];
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current.trim() !== '') chunks.push(current);
    let rest = line;
    while (rest.length > max) {
      chunks.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    current = rest;
  }
  if (current.trim() !== '') chunks.push(current);
  return chunks;
}

/** A fenced code block within `max` characters; what does not fit is counted in its last line. */
export function codeFence(raw: string, max: number): { text: string; cut: boolean } {
  const body = escapeSlack(raw.replace(/\n+$/, '').replace(/```/g, '`\u200b``'));
  const fence = (inner: string) => `\`\`\`\n${inner}\n\`\`\``;
  if (fence(body).length <= max) return { text: fence(body), cut: false };
  const lines = body.split('\n');
  const kept: string[] = [];
  const room = max - 40; // what the "… N more lines not shown" line needs
  for (const line of lines) {
    if (fence([...kept, line].join('\n')).length > room) break;
    kept.push(line);
  }
  if (kept.length === 0) kept.push((lines[0] ?? '').slice(0, Math.max(0, room - 8)));
  const more = lines.length - kept.length;
  return {
    text: fence(`${kept.join('\n')}\n… ${more} more line${more === 1 ? '' : 's'} not shown`),
    cut: true,
  };
}
