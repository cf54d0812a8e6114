import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatLine, type IrcLine, nickOf, parseLine } from '../../src/chat/adapters/irc/index.js';
import { missingComponent } from './components.js';
import { freePort } from './ports.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** Why IRC tests are skipped here, or undefined when `ngircd` is installed. */
export async function ngircdMissing(): Promise<string | undefined> {
  const present = await run('ngircd', ['--version']).then(
    () => true,
    () => false,
  );
  return missingComponent('ngircd (a real IRC server)', 'apt-get install -y ngircd', present);
}

export interface Ngircd {
  host: string;
  port: number;
  /** The pseudo-server name services link as, and its link password. */
  services: { name: string; password: string };
  /** Everything the server printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real ngircd on 127.0.0.1 (a free port), configured for tests: no PAM, ident or DNS, long
 * nicks, no per-address connection limit, and a `[Server]` block so a test can link as services.
 * It drops to user nobody and writes no PID file; stopped with SIGTERM by its pid. `port` starts
 * it on a given port (a restart where a client reconnects).
 */
export async function startNgircd(dir: string, options: { port?: number } = {}): Promise<Ngircd> {
  const services = { name: 'services.test.local', password: 'link-secret-1' };
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const file = join(dir, `ngircd-${port}.conf`);
    await writeFile(
      file,
      [
        '[Global]',
        'Name = irc.test.local',
        'Info = Wheelhouse test network',
        'Listen = 127.0.0.1',
        `Ports = ${port}`,
        'AdminInfo1 = Wheelhouse tests',
        'AdminInfo2 = 127.0.0.1',
        'AdminEMail = nobody@example.invalid',
        '[Limits]',
        'MaxNickLength = 30',
        'MaxConnectionsIP = 0',
        'PingTimeout = 120',
        'PongTimeout = 60',
        '[Options]',
        'PAM = no',
        'Ident = no',
        'DNS = no',
        '[Server]',
        `Name = ${services.name}`,
        `MyPassword = ${services.password}`,
        `PeerPassword = ${services.password}`,
        'ServiceMask = *Serv',
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    const child: ChildProcess = spawn('ngircd', ['-f', file, '-n'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    const ready = await waitFor(
      'ngircd to listen',
      async () => (gone ? 'exited' : (await canConnect(port)) ? 'ready' : false),
      { timeoutMs: 20_000, intervalMs: 100 },
    ).catch(() => 'timeout');
    if (ready === 'ready') {
      return {
        host: '127.0.0.1',
        port,
        services,
        output: () => output,
        async stop() {
          if (gone) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
    if (attempt >= 3) throw new Error(`ngircd did not start on port ${port}: ${output}`);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A raw IRC connection for tests: every line it receives is kept and can be waited for. */
export interface IrcPeer {
  nick: string;
  lines: IrcLine[];
  send(line: string): void;
  /** Wait (generously) for a line matching `accept` received after index `from`. */
  waitFor(what: string, accept: (line: IrcLine) => boolean, from?: number): Promise<IrcLine>;
  close(): Promise<void>;
}

async function openPeer(port: number, nick: string, register: (send: (l: string) => void) => void) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  const lines: IrcLine[] = [];
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end = buffer.indexOf('\n');
    while (end !== -1) {
      const line = parseLine(buffer.slice(0, end).replace(/\r$/, ''));
      buffer = buffer.slice(end + 1);
      if (line) {
        lines.push(line);
        if (line.command === 'PING') socket.write(`${formatLine('PONG', [line.params.at(-1) ?? ''])}\r\n`);
      }
      end = buffer.indexOf('\n');
    }
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const send = (line: string) => socket.write(`${line}\r\n`);
  register(send);
  const peer: IrcPeer = {
    nick,
    lines,
    send,
    async waitFor(what, accept, from = 0) {
      return waitFor(what, () => lines.slice(from).find(accept), { timeoutMs: 60_000 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end(`${formatLine('QUIT', ['bye'])}\r\n`);
        setTimeout(() => socket.destroy(), 2000).unref();
      }),
  };
  return peer;
}

/** A person on IRC: registered with `nick`, optionally in `channels`. */
export async function ircUser(
  server: Ngircd,
  nick: string,
  channels: readonly string[] = [],
): Promise<IrcPeer> {
  const peer = await openPeer(server.port, nick, (send) => {
    send(formatLine('NICK', [nick]));
    send(formatLine('USER', [nick.slice(0, 10), '0', '*', `${nick} (test)`]));
  });
  await peer.waitFor(`${nick} to be registered`, (l) => l.command === '001');
  for (const channel of channels) {
    const from = peer.lines.length;
    peer.send(formatLine('JOIN', [channel]));
    await peer.waitFor(
      `${nick} to join ${channel}`,
      (l) => l.command === 'JOIN' && nickOf(l.prefix) === nick && l.params[0] === channel,
      from,
    );
  }
  return peer;
}

/** Lines of text `peer` received as PRIVMSG from `sender` in `target`, after index `from`. */
export function privmsgs(peer: IrcPeer, sender: string, target: string, from = 0): string[] {
  return peer.lines
    .slice(from)
    .filter((l) => l.command === 'PRIVMSG' && nickOf(l.prefix) === sender && l.params[0] === target)
    .map((l) => l.params[1] ?? '');
}

/**
 * A services pseudo-server linked to ngircd (as Anope or Atheme would be): it can mark a nick
 * as logged in to an account, which ngircd then reports in WHOIS (numeric 330).
 */
export async function linkServices(server: Ngircd): Promise<{
  login(nick: string, account: string): Promise<void>;
  close(): Promise<void>;
}> {
  const peer = await openPeer(server.port, server.services.name, (send) => {
    send(`PASS ${server.services.password} 0210-IRC+ ngircd|26.1:CLMSX P`);
    send(formatLine('SERVER', [server.services.name, '1', 'Services']));
  });
  await peer.waitFor('the services link to be accepted', (l) => l.command === 'SERVER');
  let probe: IrcPeer | undefined;
  return {
    async login(nick, account) {
      await peer.waitFor(
        `ngircd to announce ${nick} to services`,
        (l) => l.command === 'NICK' && l.params[0] === nick,
      );
      peer.send(`:${server.services.name} ${formatLine('METADATA', [nick, 'accountname', account])}`);
      // ngircd answers nothing to METADATA: ask WHOIS until it reports the account (numeric 330).
      probe ??= await ircUser(server, 'svcprobe');
      const watcher = probe;
      await waitFor(
        `ngircd to report ${nick} logged in as ${account}`,
        async () => {
          const from = watcher.lines.length;
          watcher.send(formatLine('WHOIS', [nick]));
          const end = await watcher.waitFor('the end of WHOIS', (l) => l.command === '318', from);
          return watcher.lines
            .slice(from, watcher.lines.indexOf(end))
            .some((l) => l.command === '330' && l.params[1] === nick && l.params[2] === account);
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
    },
    async close() {
      await probe?.close();
      await peer.close();
    },
  };
}
