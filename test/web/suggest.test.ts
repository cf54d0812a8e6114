import { describe, expect, it } from 'vitest';
import { inlineSpans } from '../../src/web/lib/inline.js';
import { matchRoute, withQuery } from '../../src/web/lib/routes.js';
import { suggest, usageHint } from '../../src/web/lib/suggest.js';
import { groupThreads } from '../../src/web/lib/threads.js';

const commands = [
  { name: 'status', aliases: ['st', 'apps'], usage: 'status [app]', summary: 'every app at a glance' },
  { name: 'sync', aliases: ['deploy'], usage: 'sync <app> [to <rev>]', summary: 'apply what Git declares' },
  { name: 'scale', aliases: [], usage: 'scale <app> <process> <n>', summary: 'set replicas' },
  { name: 'approve', aliases: [], usage: 'approve <id>', summary: 'approve a request' },
];

describe('command suggestions', () => {
  it('suggests commands whose name or alias starts with the first word', () => {
    expect(suggest('s', commands).map((s) => s.value)).toEqual(['status ', 'sync ', 'scale ']);
    expect(suggest('dep', commands).map((s) => s.value)).toEqual(['sync ']);
    expect(suggest('SY', commands)[0]).toEqual({
      value: 'sync ',
      label: 'sync <app> [to <rev>]',
      detail: 'apply what Git declares',
    });
    expect(suggest('zzz', commands)).toEqual([]);
  });

  it('keeps a platform prefix such as !wh', () => {
    expect(suggest('!wh sta', commands).map((s) => s.value)).toEqual(['!wh status ']);
  });

  it('suggests app names for an <app> argument, not for other arguments', () => {
    const apps = ['web', 'worker', 'api'];
    expect(suggest('sync w', commands, apps).map((s) => s.value)).toEqual(['sync web ', 'sync worker ']);
    expect(suggest('status a', commands, apps).map((s) => s.value)).toEqual(['status api ']);
    expect(suggest('approve w', commands, apps)).toEqual([]);
    expect(suggest('sync web', commands, apps)).toEqual([]);
    expect(suggest('sync web to', commands, apps)).toEqual([]);
  });

  it('shows the usage of the command being typed', () => {
    expect(usageHint('scale web', commands)).toBe('scale <app> <process> <n>');
    expect(usageHint('deploy ', commands)).toBe('sync <app> [to <rev>]');
    expect(usageHint('scale', commands)).toBeUndefined();
  });
});

describe('client routes', () => {
  it('matches patterns and decodes params', () => {
    expect(matchRoute('/apps/:name', '/apps/web')).toEqual({ name: 'web' });
    expect(matchRoute('/apps/:name', '/apps/my%20app')).toEqual({ name: 'my app' });
    expect(matchRoute('/apps/:name', '/apps')).toBeUndefined();
    expect(matchRoute('/apps/:name', '/apps/%E0%A4%A')).toBeUndefined();
    expect(withQuery('/activity', { app: 'web', person: '' })).toBe('/activity?app=web');
  });
});

describe('chat threads and inline markup', () => {
  it('groups replies under their thread, in order', () => {
    const threads = groupThreads([
      { id: 'a', createdAt: '1' },
      { id: 'b', createdAt: '2' },
      { id: 'a1', thread: 'a', createdAt: '3' },
      { id: 'x1', thread: 'x', createdAt: '4' },
    ]);
    expect(threads.map((t) => [t.id, t.root?.id, t.replies.map((r) => r.id)])).toEqual([
      ['a', 'a', ['a1']],
      ['b', 'b', []],
      ['x', undefined, ['x1']],
    ]);
  });

  it('finds code spans and bold text', () => {
    expect(inlineSpans('run `approve 1a2b` *now*')).toEqual([
      { type: 'text', text: 'run ' },
      { type: 'code', text: 'approve 1a2b' },
      { type: 'text', text: ' ' },
      { type: 'bold', text: 'now' },
    ]);
  });
});

describe('readable commands', () => {
  it('turns the API’s rendering of a request into what a person would type', async () => {
    const { commandText, readableCommand } = await import('../../src/web/lib/command-text.js');
    expect(readableCommand('sync {"app":"api"}')).toBe('sync api');
    expect(readableCommand(`rollback {"app":"web","revision":"${'3f2a9c1'.padEnd(40, '0')}"}`)).toBe(
      'rollback web to 3f2a9c1',
    );
    expect(commandText('scale', { app: 'web', process: 'web', replicas: 3 })).toBe('scale web web 3');
    expect(readableCommand('lock web "db migration"')).toBe('lock web "db migration"');
    expect(readableCommand('sync {not json}')).toBe('sync {not json}');
  });
});
