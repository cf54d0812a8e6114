import { createServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createIrcAdapter,
  type IrcAdapter,
  nickOf,
  parseLine,
} from '../../../../src/chat/adapters/irc/index.js';
import { COMMANDS } from '../../../../src/chat/commands/registry.js';
import type { ChatAction, ChatHandler, IncomingMessage } from '../../../../src/core/index.js';
import { silentLogger, WheelhouseError } from '../../../../src/core/index.js';
import {
  type IrcPeer,
  ircUser,
  type Ngircd,
  ngircdMissing,
  privmsgs,
  startNgircd,
} from '../../../support/ngircd.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';

function recorder(): ChatHandler & { messages: IncomingMessage[]; actions: ChatAction[] } {
  const messages: IncomingMessage[] = [];
  const actions: ChatAction[] = [];
  return {
    messages,
    actions,
    async onMessage(m) {
      messages.push(m);
    },
    async onAction(a) {
      actions.push(a);
    },
  };
}

const deps = (settings: Record<string, unknown>, env: Record<string, string> = {}) => ({
  settings,
  env,
  log: silentLogger,
  stateDir: '/nonexistent',
});

describe('IRC settings', () => {
  it('name the field that is wrong and read secrets from the environment', () => {
    expect(() => createIrcAdapter(deps({ host: 'irc.example', channels: ['ops'] }), COMMANDS)).toThrow(
      /chat\.irc in wheelhouse\.yaml is invalid: channels\.0: .*channel name/,
    );
    expect(() =>
      createIrcAdapter(deps({ host: 'irc.example', channels: ['#ops'], tokn: 1 }), COMMANDS),
    ).toThrow(/unknown setting\(s\) tokn/);
    expect(() =>
      createIrcAdapter(deps({ host: 'irc.example', channels: ['#ops'], passwordEnv: 'IRC_PASS' }), COMMANDS),
    ).toThrow(/IRC_PASS, which is not set/);
    const adapter = createIrcAdapter(
      deps(
        {
          host: 'irc.example',
          channels: ['#ops', { name: '#secret', keyEnv: 'KEY' }],
          sasl: { account: 'wh', passwordEnv: 'SASL' },
        },
        { KEY: 'k', SASL: 's3cret' },
      ),
      COMMANDS,
    );
    expect(adapter.config).toMatchObject({
      port: 6697,
      tls: true,
      nick: 'wheelhouse',
      prefix: '!wh',
      trustNicks: false,
      channels: [{ name: '#ops' }, { name: '#secret', key: 'k' }],
      sasl: { account: 'wh', password: 's3cret' },
    });
    try {
      createIrcAdapter(deps({ host: '', channels: [] }), COMMANDS);
    } catch (err) {
      expect(err).toBeInstanceOf(WheelhouseError);
      expect((err as WheelhouseError).code).toBe('CONFIG_INVALID');
    }
  });
});

const missing = await ngircdMissing();
if (missing) console.warn(`skipping the IRC adapter tests against ngircd: ${missing}`);

describe.skipIf(missing !== undefined)('the IRC adapter on a real ngircd', () => {
  const tmp = tempDirs();
  let server: Ngircd;
  let dir: string;
  const adapters: IrcAdapter[] = [];
  const peers: IrcPeer[] = [];

  beforeAll(async () => {
    dir = await tmp('ngircd');
    server = await startNgircd(dir);
  });
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.stop()));
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function start(settings: Record<string, unknown>) {
    const handler = recorder();
    const adapter = createIrcAdapter(
      deps({ host: '127.0.0.1', port: server.port, tls: false, channels: ['#ops'], ...settings }),
      COMMANDS,
    );
    adapters.push(adapter);
    await adapter.start(handler);
    await adapter.ready();
    await waitFor('the bot in #ops', () => adapter.connection.state.joined.has('#ops'));
    return { adapter, handler };
  }

  async function user(nick: string, channels: string[] = ['#ops']) {
    const peer = await ircUser(server, nick, channels);
    peers.push(peer);
    return peer;
  }

  it('takes prefixed, addressed and private commands, and ignores chatter and CTCP', async () => {
    const { adapter, handler } = await start({ nick: 'whbot', trustNicks: true });
    const dave = await user('dave');
    dave.send('PRIVMSG #ops :good morning, whbot is great');
    dave.send('PRIVMSG #ops :\u0001ACTION waves\u0001');
    dave.send('PRIVMSG #ops :!wh status web');
    dave.send('PRIVMSG #ops :whbot: whoami');
    dave.send('PRIVMSG whbot :history web');
    await waitFor('three commands', () => handler.messages.length >= 3);
    expect(handler.messages.map((m) => [m.channel, m.user, m.text])).toEqual([
      ['#ops', 'dave', 'status web'],
      ['#ops', 'dave', 'whoami'],
      ['dave', 'dave', 'history web'],
    ]);
    expect(new Set(handler.messages.map((m) => m.ts)).size).toBe(3);
    expect(handler.messages.every((m) => m.platform === 'irc')).toBe(true);
    expect(adapter.connection.state.nick).toBe('whbot');
  });

  it('an unverified nick (no services, trustNicks off) reads as irc:~nick and cannot act', async () => {
    const { handler } = await start({ nick: 'whbot2' });
    const erin = await user('erin');
    const from = erin.lines.length;
    erin.send('PRIVMSG #ops :!wh approve 3fa9c2d1');
    erin.send('PRIVMSG #ops :!wh status');
    await waitFor('the read command', () => handler.messages.length >= 1);
    expect(handler.messages.map((m) => [m.user, m.text])).toEqual([['~erin', 'status']]);
    const refusal = await waitFor('the refusal', () =>
      privmsgs(erin, 'whbot2', '#ops', from).find((l) => l.includes('weak identities')),
    );
    expect(refusal).toMatch(/^erin: 🚫 `approve` needs a verified identity/);
  });

  it('replies addressed to the asker, splits long text within 512 bytes, paces lines, and never edits', async () => {
    const { adapter, handler } = await start({
      nick: 'whbot3',
      trustNicks: true,
      flood: { burst: 2, intervalMs: 150 },
      maxLines: 50,
    });
    const fay = await user('fay');
    fay.send('PRIVMSG #ops :!wh status');
    await waitFor('the command', () => handler.messages[0]);
    const incoming = handler.messages[0] as IncomingMessage;
    const from = fay.lines.length;
    const long = Array.from({ length: 12 }, (_, i) => `row ${i} ${'é'.repeat(300)}`).join('\n');
    const ref = await adapter.post(
      { channel: '#ops', thread: incoming.ts },
      { text: long, blocks: [{ type: 'text', text: long }], status: 'working' },
    );
    await adapter.update(ref, {
      text: 'progress',
      blocks: [{ type: 'text', text: 'still going' }],
      status: 'working',
    });
    await adapter.update(ref, {
      text: 'done',
      blocks: [{ type: 'text', text: '✅ all done' }],
      status: 'done',
    });
    await adapter.update(ref, {
      text: 'done',
      blocks: [{ type: 'text', text: '✅ all done' }],
      status: 'done',
    });
    const lines = await waitFor('every line', () => {
      const got = privmsgs(fay, 'whbot3', '#ops', from);
      return got.includes('fay: ✅ all done') ? got : false;
    });
    expect(lines[0]?.startsWith('fay: row 0 ')).toBe(true);
    expect(lines.filter((l) => l.startsWith('row ') || l.startsWith('fay: row ')).length).toBe(12);
    expect(lines.length).toBeGreaterThan(12);
    expect(lines.join('\n')).not.toContain('still going');
    expect(lines.filter((l) => l === 'fay: ✅ all done')).toHaveLength(1);
    expect(
      lines
        .filter((l) => !l.includes('all done'))
        .join('')
        .replace(/fay: |row \d+ |\s/g, ''),
    ).toBe('é'.repeat(300 * 12));
    for (const l of fay.lines.filter((x) => x.command === 'PRIVMSG' && nickOf(x.prefix) === 'whbot3')) {
      expect(
        Buffer.byteLength(`:${l.prefix} PRIVMSG ${l.params[0]} :${l.params[1]}\r\n`),
      ).toBeLessThanOrEqual(512);
    }
  });

  it('joins a notification channel it was not configured for', async () => {
    const { adapter } = await start({ nick: 'whbot4' });
    const gus = await user('gus', ['#alerts']);
    const ref = await adapter.post(
      { channel: '#alerts' },
      { text: 'x', blocks: [{ type: 'text', text: '✅ web synced' }] },
    );
    expect(ref).toMatchObject({ platform: 'irc', channel: '#alerts' });
    await gus.waitFor(
      'the notice',
      (l) => l.command === 'PRIVMSG' && l.params[0] === '#alerts' && l.params[1] === '✅ web synced',
    );
  });

  it('reconnects and rejoins after the server restarts', async () => {
    const own = await startNgircd(await tmp('ngircd-restart'));
    const handler = recorder();
    const adapter = createIrcAdapter(
      deps({
        host: '127.0.0.1',
        port: own.port,
        tls: false,
        channels: ['#ops'],
        nick: 'whbot5',
        trustNicks: true,
        reconnect: { baseMs: 100, maxMs: 500 },
      }),
      COMMANDS,
    );
    adapters.push(adapter);
    await adapter.start(handler);
    await adapter.ready();
    await own.stop();
    await waitFor('the adapter to notice', () => !adapter.connection.state.registered);
    const again = await startNgircd(dir, { port: own.port });
    try {
      await adapter.ready();
      const hal = await ircUser(again, 'hal', ['#ops']);
      peers.push(hal);
      await waitFor('the bot back in #ops', () => adapter.connection.state.joined.has('#ops'));
      hal.send('PRIVMSG #ops :!wh status');
      await waitFor('the command after the restart', () => handler.messages.find((m) => m.user === 'hal'));
    } finally {
      await adapter.stop();
      await again.stop();
    }
  });
});

/**
 * ngircd has no IRCv3 account capabilities and no SASL: a scripted server speaking that part of
 * the protocol (CAP LS/REQ/ACK, AUTHENTICATE PLAIN, account tags) stands in for such a network.
 */
describe('the IRC adapter on an IRCv3 network with services', () => {
  it('logs in with SASL PLAIN, requests account-tag, and takes identities from the tag', async () => {
    const received: string[] = [];
    let client: Socket | undefined;
    const server = createServer((socket) => {
      client = socket;
      let buffer = '';
      const send = (line: string) => socket.write(`${line}\r\n`);
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        let end = buffer.indexOf('\r\n');
        while (end !== -1) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          received.push(raw);
          const line = parseLine(raw);
          end = buffer.indexOf('\r\n');
          if (!line) continue;
          if (line.command === 'CAP' && line.params[0] === 'LS')
            send(':net CAP * LS :account-tag extended-join sasl multi-prefix');
          if (line.command === 'CAP' && line.params[0] === 'REQ') send(`:net CAP * ACK :${line.params[1]}`);
          if (line.command === 'AUTHENTICATE' && line.params[0] === 'PLAIN') send('AUTHENTICATE +');
          if (line.command === 'AUTHENTICATE' && line.params[0] !== 'PLAIN') {
            const ok = Buffer.from(line.params[0] ?? '', 'base64').toString() === 'whbot\0whbot\0sasl-pass';
            send(
              ok ? ':net 903 * :SASL authentication successful' : ':net 904 * :SASL authentication failed',
            );
          }
          if (line.command === 'CAP' && line.params[0] === 'END') {
            send(':net 001 whbot :Welcome whbot!~whbot@host');
          }
          if (line.command === 'JOIN') send(`:whbot!~whbot@host JOIN ${line.params[0]}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const handler = recorder();
    const adapter = createIrcAdapter(
      deps(
        {
          host: '127.0.0.1',
          port,
          tls: false,
          channels: ['#ops'],
          nick: 'whbot',
          sasl: { account: 'whbot', passwordEnv: 'SASL_PW' },
        },
        { SASL_PW: 'sasl-pass' },
      ),
      COMMANDS,
    );
    try {
      await adapter.start(handler);
      await adapter.ready();
      await waitFor('the join', () => adapter.connection.state.joined.has('#ops'));
      expect(received).toContain('CAP REQ :account-tag extended-join sasl');
      expect(received.indexOf('CAP END')).toBeGreaterThan(
        received.findIndex((l) => l.startsWith('AUTHENTICATE d2hib3')),
      );
      expect(adapter.connection.state.caps.has('account-tag')).toBe(true);
      client?.write('@account=alice-acct :alice!a@h PRIVMSG #ops :!wh scale web web 2\r\n');
      client?.write(':mallory!m@h PRIVMSG #ops :!wh scale web web 9\r\n');
      client?.write('@account=bob-acct :bob!b@h PRIVMSG #ops :!wh approve 1\r\n');
      await waitFor('two commands', () => handler.messages.length >= 2);
      expect(handler.messages.map((m) => [m.user, m.text])).toEqual([
        ['alice-acct', 'scale web web 2'],
        ['bob-acct', 'approve 1'],
      ]);
      await waitFor('mallory refused', () =>
        received.find((l) => l.startsWith('PRIVMSG #ops :mallory: 🚫 `scale` needs a verified identity')),
      );
      expect(received.some((l) => l.startsWith('WHOIS'))).toBe(false);
      expect(received.join('\n')).not.toContain('sasl-pass');
    } finally {
      await adapter.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
