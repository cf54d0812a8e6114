import { describe, expect, it } from 'vitest';
import {
  createAccountTracker,
  type IrcLine,
  ircLower,
  parseLine,
} from '../../../../src/chat/adapters/irc/index.js';

function fakeServer(caps: string[] = []) {
  const listeners = new Set<(line: IrcLine) => void>();
  const sent: string[] = [];
  return {
    sent,
    source: {
      state: { caps: new Set(caps) },
      lower: (s: string) => ircLower(s),
      send: (line: string) => sent.push(line),
      onLine(listener: (line: IrcLine) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    receive(raw: string) {
      const line = parseLine(raw);
      if (!line) throw new Error(`bad line ${raw}`);
      for (const l of listeners) l(line);
    },
  };
}

describe('services accounts', () => {
  it('trusts the account tag of the message itself when account-tag is on', async () => {
    const server = fakeServer(['account-tag']);
    const tracker = createAccountTracker(server.source, { lookup: 'auto', cacheMs: 60_000 });
    expect(await tracker.accountOf('alice', { account: 'alice-acct' })).toBe('alice-acct');
    // No tag with account-tag on means "not logged in" — no WHOIS, no cache.
    expect(await tracker.accountOf('alice', {})).toBeNull();
    expect(server.sent).toEqual([]);
  });

  it('asks WHOIS, takes numeric 330, and reuses the answer until it is stale', async () => {
    let now = 0;
    const server = fakeServer();
    const tracker = createAccountTracker(server.source, { lookup: 'auto', cacheMs: 1000, now: () => now });
    const first = tracker.accountOf('Alice', {});
    const second = tracker.accountOf('alice', {});
    expect(server.sent).toEqual(['WHOIS Alice']);
    server.receive(':irc 311 me Alice ~a host * :Alice');
    server.receive(':irc 330 me Alice alice-acct :is logged in as');
    server.receive(':irc 318 me Alice :End of WHOIS list');
    expect(await first).toBe('alice-acct');
    expect(await second).toBe('alice-acct');
    expect(await tracker.accountOf('ALICE', {})).toBe('alice-acct');
    expect(server.sent).toHaveLength(1);
    now = 5000;
    const again = tracker.accountOf('alice', {});
    expect(server.sent).toEqual(['WHOIS Alice', 'WHOIS alice']);
    server.receive(':irc 318 me alice :End of WHOIS list');
    expect(await again).toBeNull();
  });

  it('follows logins through extended-join, account-notify and nick changes, and forgets on quit', async () => {
    const server = fakeServer(['extended-join', 'account-notify']);
    const tracker = createAccountTracker(server.source, { lookup: 'auto', cacheMs: 60_000 });
    server.receive(':bob!b@h JOIN #ops bob-acct :Bob');
    expect(await tracker.accountOf('bob', {})).toBe('bob-acct');
    server.receive(':bob!b@h NICK bobby');
    expect(await tracker.accountOf('bobby', {})).toBe('bob-acct');
    server.receive(':bobby!b@h ACCOUNT *');
    expect(await tracker.accountOf('bobby', {})).toBeNull();
    server.receive(':bobby!b@h QUIT :bye');
    const asked = tracker.accountOf('bobby', {});
    expect(server.sent).toEqual(['WHOIS bobby']);
    server.receive(':irc 401 me bobby :No such nick');
    expect(await asked).toBeNull();
    expect(server.sent).toHaveLength(1);
  });

  it('never asks with lookup none', async () => {
    const server = fakeServer();
    const tracker = createAccountTracker(server.source, { lookup: 'none', cacheMs: 60_000 });
    expect(await tracker.accountOf('alice', {})).toBeNull();
    expect(server.sent).toEqual([]);
  });

  it('gives up on a WHOIS that is never answered', async () => {
    const server = fakeServer();
    const tracker = createAccountTracker(server.source, {
      lookup: 'auto',
      cacheMs: 60_000,
      whoisTimeoutMs: 20,
    });
    expect(await tracker.accountOf('ghost', {})).toBeNull();
  });
});
