import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingComponent } from './components.js';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  port: number;
  /** `ssh://root@127.0.0.1:<port><absolutePath>` */
  url(absolutePath: string): string;
  /** Private key authorized to log in (mode 0600). */
  clientKey: string;
  /** A known_hosts file holding this server's host key. */
  knownHosts: string;
  /** A known_hosts file holding some other key for the same host (a changed host key). */
  wrongKnownHosts: string;
  close(): Promise<void>;
}

/** Why an sshd cannot run here (for `it.skipIf`), or undefined when it can. */
export function sshdUnavailable(): string | undefined {
  const missing = missingComponent('sshd', 'apt-get install -y openssh-server', existsSync(SSHD));
  if (missing) return missing;
  if (process.getuid?.() !== 0) return 'the sshd test logs in as root and must run as root';
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real OpenSSH server on 127.0.0.1 (a free port) with a generated host key, accepting one
 * generated client key for root. Git runs `git-upload-pack` through it like on any git host.
 */
export async function startSshd(dir: string): Promise<SshServer> {
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = join(dir, 'host_ed25519');
  const otherKey = join(dir, 'other_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  for (const key of [hostKey, otherKey, clientKey]) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'wheelhouse-test', '-f', key]);
  }
  await chmod(clientKey, 0o600);
  const authorized = join(dir, 'authorized_keys');
  await writeFile(authorized, await readFile(`${clientKey}.pub`, 'utf8'), { mode: 0o600 });
  const port = await freePort();
  const hostLine = async (key: string) => {
    const [type, body] = (await readFile(`${key}.pub`, 'utf8')).trim().split(/\s+/);
    return `[127.0.0.1]:${port} ${type} ${body}\n`;
  };
  const knownHosts = join(dir, 'known_hosts');
  const wrongKnownHosts = join(dir, 'wrong_known_hosts');
  await writeFile(knownHosts, await hostLine(hostKey));
  await writeFile(wrongKnownHosts, await hostLine(otherKey));
  const config = join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'AllowUsers root',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url: (path) => `ssh://root@127.0.0.1:${port}${path}`,
    clientKey,
    knownHosts,
    wrongKnownHosts,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
