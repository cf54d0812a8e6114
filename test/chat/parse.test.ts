import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  commandCatalog,
  helpFor,
  helpOverview,
  parseCommand,
  tokenize,
  usage,
} from '../../src/chat/commands/index.js';
import { plainText } from '../../src/chat/core/message.js';
import { stripPrefix } from '../../src/chat/core/steps/normalize.js';

function parsed(text: string) {
  const result = parseCommand(COMMANDS, text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error}`);
  return result.command;
}

function failure(text: string): string {
  const result = parseCommand(COMMANDS, text);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return result.error;
}

describe('tokenize', () => {
  it('splits on spaces and keeps quoted words together', () => {
    expect(tokenize(`set env web web GREETING="Hello there" B='x y'`)).toEqual({
      ok: true,
      tokens: ['set', 'env', 'web', 'web', 'GREETING=Hello there', 'B=x y'],
    });
    expect(tokenize('lock web “smart quotes”')).toEqual({
      ok: true,
      tokens: ['lock', 'web', 'smart quotes'],
    });
    expect(tokenize('lock web "open').ok).toBe(false);
  });
});

describe('parse', () => {
  it('reads every command form of the issue', () => {
    expect(parsed('sync web').args).toEqual({ app: 'web' });
    expect(parsed('sync web to abc123').args).toEqual({ app: 'web', rev: 'abc123' });
    expect(parsed('logs web worker --tail 50')).toMatchObject({
      args: { app: 'web', process: 'worker' },
      flags: { tail: 50 },
    });
    expect(parsed('logs web --tail=5').flags).toEqual({ tail: 5 });
    expect(parsed('lock web investigating the 502s').args).toEqual({
      app: 'web',
      reason: 'investigating the 502s',
    });
    expect(parsed('unlock web --force').flags).toEqual({ force: true });
    expect(parsed('scale web web 3').args).toEqual({ app: 'web', process: 'web', n: 3 });
    expect(parsed('set env web web A=1 B=two=2').args).toEqual({
      app: 'web',
      process: 'web',
      vars: { A: '1', B: 'two=2' },
    });
    expect(parsed('promote web from staging to prod').args).toEqual({
      app: 'web',
      from: 'staging',
      to: 'prod',
    });
    expect(parsed('deny a1b2 not now').args).toEqual({ id: 'a1b2', reason: 'not now' });
    expect(parsed('audit --verify').flags).toEqual({ verify: true });
    expect(parsed('help').args).toEqual({});
  });

  it('accepts aliases and any case of the command word', () => {
    expect(parsed('deploy web').definition.name).toBe('sync');
    expect(parsed('STATUS').definition.name).toBe('status');
  });

  it('suggests the closest command on a typo', () => {
    expect(failure('sycn web')).toContain('did you mean `sync`');
    expect(failure('stauts')).toContain('`status`');
    expect(failure('frobnicate')).toContain('`help` lists every command');
  });

  it('names what is wrong and shows the usage line', () => {
    expect(failure('scale web web')).toBe('<n> is missing; usage: `scale <app> <process> <n>`');
    expect(failure('scale web web three')).toContain('<n> must be a whole number');
    expect(failure('scale web web 1000')).toContain('at most 100');
    expect(failure('sync web to')).toContain('<rev> is missing');
    expect(failure('sync web now')).toContain('unexpected `now`; usage: `sync <app> [to <rev>] [--force]`');
    expect(failure('set env web web NOPE')).toContain('`NOPE` is not KEY=VALUE');
    expect(failure('set env web web 1A=x')).toContain('not a valid environment variable name');
    expect(failure('set web web A=1')).toContain('expected `env`');
    expect(failure('logs web --follow')).toContain('no option --follow (options: --tail)');
    expect(failure('logs web --tail')).toContain('--tail needs a value');
  });
});

describe('help', () => {
  it('is generated from the definitions: every command and its usage line', () => {
    const overview = plainText(helpOverview(COMMANDS).blocks);
    for (const command of COMMANDS) expect(overview).toContain(usage(command));
    expect(overview).toContain('sync <app> [to <rev>]');
    expect(overview).toContain('logs <app> [process] [--tail N]');
    expect(overview).toContain('set env <app> <process> KEY=VALUE...');
    expect(overview).toContain('promote <app> from <from> to <to>');
  });

  it('explains one command with its permission, options and examples', () => {
    const sync = COMMANDS.find((c) => c.name === 'sync');
    if (!sync) throw new Error('sync is missing');
    const text = helpFor(sync).text;
    expect(text).toContain('Usage: `sync <app> [to <rev>] [--force]`');
    expect(text).toContain('the sync permission');
    expect(text).toContain('Aliases: deploy');
    expect(text).toContain('sync web to 3f2a1bc');
  });

  it('offers a catalog for clients', () => {
    const catalog = commandCatalog(COMMANDS);
    expect(catalog.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(catalog.find((c) => c.name === 'scale')).toMatchObject({
      permission: 'write',
      usage: 'scale <app> <process> <n>',
    });
  });
});

describe('normalize', () => {
  it('strips an address to the bot', () => {
    expect(stripPrefix('!wh sync web', ['!wh'])).toBe('sync web');
    expect(stripPrefix('@wheelhouse:  status  web', ['@wheelhouse'])).toBe('status web');
    expect(stripPrefix('whoami', ['wh'])).toBe('whoami');
    expect(stripPrefix('wh', ['wh'])).toBe('');
  });
});
