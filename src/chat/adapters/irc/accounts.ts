import type { IrcLine } from './irc-line.js';
import { formatLine, nickOf } from './irc-line.js';

/**
 * Which services account a nick is logged in to. Only the network's services can vouch for a
 * person; a bare nick is a weak identity (anyone may take a free nick). Sources, best first:
 * the IRCv3 `account` tag on the message itself (`account-tag`), what `extended-join` and
 * `account-notify` said, and WHOIS numeric 330 (RPL_WHOISACCOUNT), cached for a short while.
 */
export interface AccountSource {
  state: { caps: ReadonlySet<string> };
  lower(nick: string): string;
  /** Send a command (behind flood control). */
  send(line: string): void;
  onLine(listener: (line: IrcLine) => void): () => void;
}

export interface AccountTracker {
  /** The services account of the sender of a message, or null when not logged in / unknown. */
  accountOf(nick: string, tags: Readonly<Record<string, string>>): Promise<string | null>;
  stop(): void;
}

export interface AccountTrackerOptions {
  /** `none`: never ask (every sender counts as not logged in). */
  lookup: 'auto' | 'none';
  /** How long an answer is reused, ms. */
  cacheMs: number;
  /** How long to wait for a WHOIS answer, ms. */
  whoisTimeoutMs?: number;
  now?: () => number;
}

interface Entry {
  account: string | null;
  at: number;
}

interface Pending {
  account: string | null;
  waiters: ((account: string | null) => void)[];
  timer: NodeJS.Timeout;
}

/** `*` and `0` mean "not logged in" in extended-join and account-notify. */
const accountValue = (value: string | undefined): string | null =>
  value === undefined || value === '' || value === '*' || value === '0' ? null : value;

export function createAccountTracker(source: AccountSource, options: AccountTrackerOptions): AccountTracker {
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Pending>();
  const remember = (nick: string, account: string | null) => {
    cache.set(source.lower(nick), { account, at: now() });
    if (cache.size > 5000) cache.delete(cache.keys().next().value ?? '');
  };
  const finish = (key: string) => {
    const wait = pending.get(key);
    if (!wait) return;
    pending.delete(key);
    clearTimeout(wait.timer);
    cache.set(key, { account: wait.account, at: now() });
    for (const resolve of wait.waiters) resolve(wait.account);
  };

  const off = source.onLine((line) => {
    const from = nickOf(line.prefix);
    switch (line.command) {
      case '330': {
        // :server 330 me nick account :is logged in as
        const key = source.lower(line.params[1] ?? '');
        const wait = pending.get(key);
        if (wait) wait.account = accountValue(line.params[2]);
        else if (line.params[1]) remember(line.params[1], accountValue(line.params[2]));
        break;
      }
      case '318':
      case '401':
        finish(source.lower(line.params[1] ?? ''));
        break;
      case 'JOIN':
        if (from && source.state.caps.has('extended-join') && line.params.length >= 2) {
          remember(from, accountValue(line.params[1]));
        }
        break;
      case 'ACCOUNT':
        if (from) remember(from, accountValue(line.params[0]));
        break;
      case 'NICK': {
        // Same connection, new nick: the login goes along.
        if (!from) break;
        const entry = cache.get(source.lower(from));
        cache.delete(source.lower(from));
        if (entry && line.params[0]) cache.set(source.lower(line.params[0]), entry);
        break;
      }
      case 'QUIT':
        if (from) cache.delete(source.lower(from));
        break;
      case 'PRIVMSG':
      case 'NOTICE':
        if (from && source.state.caps.has('account-tag')) remember(from, accountValue(line.tags.account));
        break;
    }
  });

  function whois(nick: string): Promise<string | null> {
    const key = source.lower(nick);
    const existing = pending.get(key);
    return new Promise((resolve) => {
      if (existing) {
        existing.waiters.push(resolve);
        return;
      }
      const timer = setTimeout(() => finish(key), options.whoisTimeoutMs ?? 20_000);
      timer.unref();
      pending.set(key, { account: null, waiters: [resolve], timer });
      source.send(formatLine('WHOIS', [nick]));
    });
  }

  return {
    async accountOf(nick, tags) {
      if (source.state.caps.has('account-tag')) return accountValue(tags.account);
      if (options.lookup === 'none') return null;
      const cached = cache.get(source.lower(nick));
      if (cached && now() - cached.at <= options.cacheMs) return cached.account;
      return whois(nick);
    },
    stop() {
      off();
      for (const key of [...pending.keys()]) finish(key);
    },
  };
}
