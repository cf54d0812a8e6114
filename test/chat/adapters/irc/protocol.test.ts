import { describe, expect, it } from 'vitest';
import {
  addressedCommand,
  formatLine,
  ircLower,
  parseLine,
  splitForIrc,
  textBudget,
  utf8Length,
} from '../../../../src/chat/adapters/irc/index.js';
import { createTokenBucket } from '../../../../src/util/index.js';

describe('IRC lines', () => {
  it('parses tags, prefix, command, middle and trailing parameters', () => {
    const line = parseLine(
      '@account=alice-acct;msgid=abc\\:1;time=2030-01-01T00:00:00Z :alice!~a@host PRIVMSG #ops :!wh sync web',
    );
    expect(line).toEqual({
      tags: { account: 'alice-acct', msgid: 'abc;1', time: '2030-01-01T00:00:00Z' },
      prefix: 'alice!~a@host',
      command: 'PRIVMSG',
      params: ['#ops', '!wh sync web'],
    });
    expect(parseLine('PING :irc.test.local')).toEqual({
      tags: {},
      command: 'PING',
      params: ['irc.test.local'],
    });
    expect(parseLine(':s 005 me CASEMAPPING=ascii CHANTYPES=# :are supported')?.params).toEqual([
      'me',
      'CASEMAPPING=ascii',
      'CHANTYPES=#',
      'are supported',
    ]);
    expect(parseLine('')).toBeUndefined();
    expect(parseLine(':prefix-only')).toBeUndefined();
  });

  it('formats lines so a parameter can never start a second command', () => {
    expect(formatLine('PRIVMSG', ['#ops', 'hello\r\nQUIT :pwned'])).toBe('PRIVMSG #ops :hello QUIT :pwned');
    expect(formatLine('PRIVMSG', ['#ops', ':-)'])).toBe('PRIVMSG #ops ::-)');
    expect(formatLine('PRIVMSG', ['#ops', ''])).toBe('PRIVMSG #ops :');
    expect(formatLine('JOIN', ['#ops', 'key'])).toBe('JOIN #ops key');
    expect(formatLine('PRIVMSG', ['#o ps', 'x'])).toBe('PRIVMSG #o_ps x');
    expect(formatLine('NICK', ['bad\0nick'])).not.toContain('\0');
  });

  it('compares names with the server’s case mapping', () => {
    expect(ircLower('Nick[A]\\~', 'rfc1459')).toBe('nick{a}|^');
    expect(ircLower('Nick[A]', 'ascii')).toBe('nick[a]');
  });
});

describe('splitting text for IRC', () => {
  it('keeps every line within the byte budget, breaking at spaces and never inside a character', () => {
    const budget = textBudget({ nick: 'wheelhouse', user: '~wheelhous', host: '127.0.0.1', target: '#ops' });
    expect(budget).toBe(512 - 2 - utf8Length(':wheelhouse!~wheelhous@127.0.0.1 PRIVMSG #ops :'));
    const long = `${'word '.repeat(200)}${'ä'.repeat(400)}🚀${'x'.repeat(700)}`;
    const lines = splitForIrc(long, budget);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) {
      expect(utf8Length(line)).toBeLessThanOrEqual(budget);
      expect(line).not.toContain('\uFFFD');
    }
    // Nothing lost: the pieces put back together (spaces at the breaks aside) are the text.
    expect(lines.join(' ').replace(/\s+/g, '')).toBe(long.replace(/\s+/g, ''));
    expect(lines[0]?.endsWith('word')).toBe(true);
  });

  it('drops control characters and empty lines, and turns tabs into spaces', () => {
    expect(splitForIrc('a\tb\r\n\n\u0001ACTION x\u0001\n  \nc\u0007', 400)).toEqual([
      'a  b',
      'ACTION x',
      'c',
    ]);
  });

  it('assumes a long host when it does not know its own', () => {
    expect(textBudget({ nick: 'wh', target: '#ops' })).toBeLessThan(
      textBudget({ nick: 'wh', user: 'u', host: 'h', target: '#ops' }),
    );
  });
});

describe('what is addressed to the bot', () => {
  const options = {
    nick: 'wheelhouse',
    prefix: '!wh',
    direct: false,
    lower: (s: string) => ircLower(s, 'rfc1459'),
  };

  it('takes the prefix and a nick address in channels, and ignores chatter', () => {
    expect(addressedCommand('!wh sync web', options)).toBe('sync web');
    expect(addressedCommand('!WH   status', options)).toBe('status');
    expect(addressedCommand('!wh', options)).toBe('help');
    expect(addressedCommand('Wheelhouse: status web', options)).toBe('status web');
    expect(addressedCommand('wheelhouse, whoami', options)).toBe('whoami');
    expect(addressedCommand('@wheelhouse status', options)).toBe('status');
    expect(addressedCommand('!whatever', options)).toBeUndefined();
    expect(addressedCommand('wheelhouse is down again', options)).toBeUndefined();
    expect(addressedCommand('let us sync web', options)).toBeUndefined();
  });

  it('takes every line of a private message', () => {
    expect(addressedCommand('status', { ...options, direct: true })).toBe('status');
    expect(addressedCommand('!wh status', { ...options, direct: true })).toBe('status');
  });
});

describe('flood control', () => {
  it('lets a burst through, then one line per interval', () => {
    let now = 1000;
    const bucket = createTokenBucket({ capacity: 3, refillMs: 2000, now: () => now });
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(2000);
    now += 1000;
    expect(bucket.take()).toBe(1000);
    now += 1000;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(2000);
    now += 60_000;
    expect(bucket.available()).toBe(3);
  });
});
