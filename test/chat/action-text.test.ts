// Issue 14, item 9: a sync started from the dashboard appeared in chat and in `approvals` as
// `sync {"app":"api"}`. Every action renders the way a person would type it, and that text
// parses back to the same action.
import { describe, expect, it } from 'vitest';
import { actionText, COMMANDS, parseCommand } from '../../src/chat/commands/index.js';

const typed = [
  'sync api',
  'sync api to v1.4.2',
  'rollback api to 3f2a1bc',
  'refresh api',
  'scale web web 3',
  'set env web web LOG_LEVEL=debug GREETING="Hello there"',
  'promote api from staging to prod',
  'lock api db migration tonight',
  'unlock api --force',
  'pause api',
  'resume api',
];

describe('actionText: an action as a person types it', () => {
  it.each(typed)('renders `%s` from its action and parses back to the same action', (text) => {
    const parsed = parseCommand(COMMANDS, text);
    if (!parsed.ok) throw new Error(parsed.error);
    const { definition } = parsed.command;
    if (definition.kind !== 'action') throw new Error(`${text} is not an action`);
    const call = definition.toAction(parsed.command);
    const rendered = actionText(call, COMMANDS);
    expect(rendered).toBe(text);
    const again = parseCommand(COMMANDS, rendered);
    if (!again.ok || again.command.definition.kind !== 'action')
      throw new Error(`${rendered} does not parse back`);
    expect(again.command.definition.toAction(again.command)).toEqual(call);
  });

  it('renders what the dashboard sends (`{command, args}`), never JSON', () => {
    expect(actionText({ command: 'sync', args: { app: 'api' } }, COMMANDS)).toBe('sync api');
    expect(
      actionText({ command: 'scale', args: { app: 'web', process: 'web', replicas: 0 } }, COMMANDS),
    ).toBe('scale web web 0');
    expect(actionText({ command: 'lock', args: { app: 'api', reason: '' } }, COMMANDS)).toBe('lock api');
    expect(actionText({ command: 'mystery', args: { app: 'api', n: 2 } }, COMMANDS)).toBe(
      'mystery app=api n=2',
    );
  });
});
