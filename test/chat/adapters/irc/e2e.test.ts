import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrcAdapter } from '../../../../src/chat/adapters/irc/index.js';
import { startChatOpsStack } from '../../../support/chatops-stack.js';
import { git } from '../../../support/git.js';
import {
  type IrcPeer,
  ircUser,
  linkServices,
  type Ngircd,
  ngircdMissing,
  privmsgs,
  startNgircd,
} from '../../../support/ngircd.js';
import { bothAppsRunning } from '../../../support/platform-control-repo.js';
import { freePortPrefix } from '../../../support/ports.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';
import { controlRepo, get } from '../fixtures.js';

const missing = await ngircdMissing();
if (missing) console.warn(`skipping the IRC end-to-end tests: ${missing}`);

describe.skipIf(missing !== undefined)('IRC end to end: a real ngircd, real git, real processes', () => {
  const tmp = tempDirs();
  let server: Ngircd;
  let services: Awaited<ReturnType<typeof linkServices>>;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let alice: IrcPeer;
  let bob: IrcPeer;
  let carol: IrcPeer;
  let dev: string;
  let prod: string;

  /** Say `text` in #ops as `peer`; resolve with the bot's lines (from then on) once `done` holds. */
  async function ask(peer: IrcPeer, text: string, done: (lines: string[]) => boolean): Promise<string[]> {
    // Let the previous command's lines go out first (flood control paces them).
    await stack.settle();
    await (stack.chatops.chat.adapter('irc') as IrcAdapter | undefined)?.drained();
    const from = peer.lines.length;
    peer.send(`PRIVMSG #ops :${text}`);
    return waitFor(
      `the bot to answer "${text}"`,
      () => {
        const lines = privmsgs(peer, 'wheelhouse', '#ops', from);
        return done(lines) ? lines : false;
      },
      { timeoutMs: 90_000 },
    );
  }

  beforeAll(async () => {
    server = await startNgircd(await tmp('ngircd'));
    services = await linkServices(server);
    dev = await freePortPrefix();
    prod = await freePortPrefix();
    alice = await ircUser(server, 'alice', ['#ops', '#alerts']);
    bob = await ircUser(server, 'bob', ['#ops']);
    carol = await ircUser(server, 'carol', ['#ops']);
    await services.login('alice', 'alice-acct');
    await services.login('bob', 'bob-acct');
    stack = await startChatOpsStack(
      tmp,
      controlRepo({
        dev,
        prod,
        platform: 'irc',
        alice: 'alice-acct',
        bob: 'bob-acct',
        alerts: '#alerts',
        chat: `host: 127.0.0.1
port: ${server.port}
tls: false
nick: wheelhouse
channels: ["#ops"]
flood: { burst: 10, intervalMs: 200 }
maxLines: 40`,
      }),
    );
    await alice.waitFor(
      'the bot to join #ops',
      (l) => l.command === 'JOIN' && l.prefix?.startsWith('wheelhouse!') === true && l.params[0] === '#ops',
    );
    await bothAppsRunning(dev, prod);
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([alice, bob, carol].map((p) => p?.close()));
    await services?.close();
    await server?.stop();
  });

  it('status: answered in the channel, addressed to the asker', async () => {
    const lines = await ask(alice, '!wh status', (l) => l.some((x) => x.includes('web-prod')));
    expect(lines.some((l) => l.startsWith('alice: '))).toBe(true);
    expect(lines.join('\n')).toContain('web');
  });

  it('whoami: the services account is the identity, mapped to Alice', async () => {
    const lines = await ask(alice, 'wheelhouse: whoami', (l) => l.some((x) => x.includes('irc:alice-acct')));
    expect(lines.join('\n')).toContain('Alice');
  });

  it('scale: a commit authored by Alice, applied, and the outcome in the channel', async () => {
    const lines = await ask(alice, '!wh scale web web 2', (l) =>
      l.some((x) => x.includes('scale web to 2 replicas') && x.includes('Healthy')),
    );
    expect(lines.some((l) => l.startsWith('alice: ⏳ `scale web web 2` — on it'))).toBe(true);
    expect(await get(`http://127.0.0.1:${dev}1/`)).toBe('v1');
    expect(await git(stack.control, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Alice <alice@example.com>|web: scale web to 2 replicas',
    );
    expect(
      await git(stack.control, 'log', '-1', '--format=%(trailers:key=Wheelhouse-Actor,valueonly)', 'main'),
    ).toBe('irc:alice-acct');
  });

  it('sync: acknowledged, then the outcome', async () => {
    const lines = await ask(alice, '!wh sync web', (l) => l.some((x) => x.includes('synced: web runs')));
    expect(lines.join('\n')).toContain('Healthy');
  });

  it('a notification is routed to its channel', async () => {
    await alice.waitFor(
      'a sync notice in #alerts',
      (l) =>
        l.command === 'PRIVMSG' &&
        l.params[0] === '#alerts' &&
        (l.params[1] ?? '').includes('web (dev) synced to'),
    );
  });

  it('approval: the request shows the command to type, and Bob approves with it', async () => {
    const asked = await ask(alice, '!wh scale web-prod web 2', (l) =>
      l.some((x) => x.includes('!wh approve')),
    );
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request stored');
    expect(asked.join('\n')).toContain(`Approve: !wh approve ${approval.id}`);

    const self = await ask(alice, `!wh approve ${approval.id}`, (l) =>
      l.some((x) => x.includes('cannot approve')),
    );
    expect(self.join('\n')).toContain('cannot approve');

    const run = await ask(bob, `!wh approve ${approval.id}`, (l) =>
      l.some((x) => x.includes('web-prod: scale web to 2 replicas') && x.includes('Healthy')),
    );
    expect(run.join('\n')).toContain('approved');
    expect(await get(`http://127.0.0.1:${prod}1/`)).toBe('prod-v1');
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an|%(trailers:key=Wheelhouse-Approved-By,valueonly,separator=)',
        'main',
      ),
    ).toBe('Alice|irc:bob-acct');
  });

  it('an unverified nick gets read-only commands and nothing else', async () => {
    const refused = await ask(carol, '!wh sync web', (l) => l.some((x) => x.includes('weak identities')));
    expect(refused.find((x) => x.includes('weak identities'))).toMatch(
      /^carol: 🚫 `sync` needs a verified identity/,
    );
    const who = await ask(carol, '!wh whoami', (l) => l.some((x) => x.includes('irc:~carol')));
    expect(who.join('\n')).not.toContain('Alice');
    const audit = await stack.store.listAudit({ limit: 50 });
    expect(audit.some((e) => e.actor === 'irc:~carol' && e.action === 'command.whoami')).toBe(true);
    expect(audit.some((e) => e.actor.includes('carol') && e.action === 'command.sync')).toBe(false);
  });

  it('every line the bot sent fits IRC’s 512 bytes as relayed', () => {
    const relayed = alice.lines.filter((l) => l.command === 'PRIVMSG' && l.prefix?.startsWith('wheelhouse!'));
    expect(relayed.length).toBeGreaterThan(5);
    for (const l of relayed) {
      const wire = `:${l.prefix} PRIVMSG ${l.params[0]} :${l.params[1]}\r\n`;
      expect(Buffer.byteLength(wire)).toBeLessThanOrEqual(512);
    }
  });
});
