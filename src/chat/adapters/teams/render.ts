import type { Block, Button, ChatMessage, MessageStatus } from '../../../core/index.js';
import { mapMessageText } from '../../../core/index.js';
import { escapeControl } from '../../../util/escape-control.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Teams refuses messages over about 28 KB; cards stay well below. */
export const TEAMS_LIMITS = {
  cardBytes: 24_000,
  codeChars: 6_000,
  textLines: 60,
  summaryChars: 200,
} as const;

export type CardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  msteams: { width: 'Full' };
  fallbackText: string;
}

/** The parts of a message activity that carry the rendering. */
export interface TeamsRendered {
  summary: string;
  attachments: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }[];
}

export interface TeamsRenderOptions {
  /** Wheelhouse's public URL: cut text links there. */
  dashboardUrl?: string;
}

const COLOR: Partial<Record<MessageStatus, string>> = {
  done: 'Good',
  failed: 'Attention',
  refused: 'Attention',
  'awaiting-approval': 'Warning',
  working: 'Accent',
};

interface Budget {
  codeChars: number;
  textLines: number;
}

/**
 * The neutral message as an Adaptive Card (1.5): text → text blocks (the first one bold, coloured
 * by status), fields → a FactSet, code → a CodeBlock (a monospace text block where that is not
 * supported), context → small subtle text, buttons → Action.Execute (Universal Actions; an
 * Action.Submit where not supported) carrying `{ wheelhouse: { action, value } }`. What had to be
 * cut says so and links to the dashboard.
 */
export function renderTeamsMessage(raw: ChatMessage, options: TeamsRenderOptions = {}): TeamsRendered {
  // Control characters from Git, locks and people are shown, never passed to the client.
  const message = mapMessageText(raw, escapeControl);
  const summary = cut(message.text.split('\n')[0] ?? '', TEAMS_LIMITS.summaryChars);
  for (const budget of [
    { codeChars: TEAMS_LIMITS.codeChars, textLines: TEAMS_LIMITS.textLines },
    { codeChars: 2_000, textLines: 20 },
    { codeChars: 500, textLines: 8 },
  ]) {
    const card = buildCard(message, budget, options);
    if (Buffer.byteLength(JSON.stringify(card)) <= TEAMS_LIMITS.cardBytes) {
      return { summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
    }
  }
  // Still too large (thousands of fields?): the plain text, cut, and the buttons.
  const minimal = buildCard(
    {
      ...message,
      blocks: [
        { type: 'text', text: cut(message.text, 4_000) },
        ...message.blocks.filter((b) => b.type === 'buttons'),
      ],
    },
    { codeChars: 500, textLines: 8 },
    options,
    true,
  );
  return { summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: minimal }] };
}

function buildCard(
  message: ChatMessage,
  budget: Budget,
  options: TeamsRenderOptions,
  forceCutNote = false,
): AdaptiveCard {
  const body: CardElement[] = [];
  let wasCut = forceCutNote;
  let first = true;
  for (const block of message.blocks) {
    const rendered = renderBlock(block, budget, first ? message.status : undefined);
    if (block.type === 'text' && rendered.elements.length > 0) first = false;
    wasCut ||= rendered.cut;
    body.push(...rendered.elements);
  }
  if (wasCut) body.push(...cutNote(options.dashboardUrl));
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: '1.5',
    body,
    msteams: { width: 'Full' },
    fallbackText: cut(message.text, 2_000),
  };
}

function renderBlock(
  block: Block,
  budget: Budget,
  leadStatus: MessageStatus | undefined,
): { elements: CardElement[]; cut: boolean } {
  switch (block.type) {
    case 'text': {
      const lines = block.text.split('\n');
      const kept = lines.slice(0, budget.textLines);
      const elements = kept.map((line, i): CardElement => {
        const element: CardElement = { type: 'TextBlock', text: line.trim() === '' ? ' ' : line, wrap: true };
        if (i > 0) element.spacing = 'None';
        if (i === 0 && leadStatus !== undefined) {
          element.weight = 'Bolder';
          const color = COLOR[leadStatus];
          if (color) element.color = color;
        }
        return element;
      });
      if (lines.length > kept.length) {
        elements.push(subtle(`… ${lines.length - kept.length} more lines not shown`));
      }
      return { elements, cut: lines.length > kept.length };
    }
    case 'fields':
      return {
        elements: [
          {
            type: 'FactSet',
            facts: block.fields.map((f) => ({ title: f.label, value: cut(f.value, 1_000) })),
          },
        ],
        cut: block.fields.some((f) => f.value.length > 1_000),
      };
    case 'code': {
      const fitted = fitCode(block.text, budget.codeChars);
      return {
        elements: [
          {
            type: 'CodeBlock',
            codeSnippet: fitted.text,
            language: 'PlainText',
            fallback: {
              type: 'TextBlock',
              text: fitted.text,
              fontType: 'Monospace',
              wrap: true,
              size: 'Small',
            },
          },
        ],
        cut: fitted.cut,
      };
    }
    case 'context':
      return { elements: [subtle(block.text)], cut: false };
    case 'buttons':
      return { elements: [{ type: 'ActionSet', actions: block.buttons.map(cardAction) }], cut: false };
  }
}

function cardAction(button: Button): CardElement {
  const data = { wheelhouse: { action: button.action, value: button.value } };
  const style =
    button.style === 'primary' ? 'positive' : button.style === 'danger' ? 'destructive' : undefined;
  const submit: CardElement = { type: 'Action.Submit', title: button.label, data };
  const execute: CardElement = {
    type: 'Action.Execute',
    title: button.label,
    verb: button.action,
    data,
    fallback: submit,
  };
  if (style) {
    execute.style = style;
    submit.style = style;
  }
  return execute;
}

const subtle = (text: string): CardElement => ({
  type: 'TextBlock',
  text,
  wrap: true,
  size: 'Small',
  isSubtle: true,
});

function cutNote(dashboardUrl: string | undefined): CardElement[] {
  const note = subtle(
    dashboardUrl
      ? "✂️ Cut to fit Teams' limits; the full text is in the Wheelhouse dashboard."
      : "✂️ Cut to fit Teams' limits; the full text is in the Wheelhouse dashboard (or the `wheelhouse` CLI).",
  );
  if (!dashboardUrl) return [note];
  return [
    note,
    {
      type: 'ActionSet',
      actions: [{ type: 'Action.OpenUrl', title: 'Open the dashboard', url: dashboardUrl }],
    },
  ];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Code within `max` characters, cut at a line end, the rest counted. */
export function fitCode(raw: string, max: number): { text: string; cut: boolean } {
  const text = raw.replace(/\n+$/, '');
  if (text.length <= max) return { text, cut: false };
  const lines = text.split('\n');
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > max - 40) break;
    kept.push(line);
    length += line.length + 1;
  }
  if (kept.length === 0) kept.push((lines[0] ?? '').slice(0, max - 40));
  const more = lines.length - kept.length;
  return { text: `${kept.join('\n')}\n… ${more} more line${more === 1 ? '' : 's'} not shown`, cut: true };
}
