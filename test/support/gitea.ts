import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { missingComponent } from './components.js';
import { kubeBinary, kubeVersions } from './kube/binaries.js';
import { freePort } from './ports.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** Where `node test/support/kube/build.mjs gitea` puts Gitea, built from its Go module. */
export const giteaBinary = (): string => kubeBinary('gitea');

/** Why the real Gitea cannot run here (skipped locally, thrown in CI); undefined when it can. */
export function giteaMissing(): string | undefined {
  const path = giteaBinary();
  return missingComponent(
    `Gitea ${kubeVersions.gitea} (built from its Go module, ${path})`,
    'node test/support/kube/build.mjs gitea',
    existsSync(path),
  );
}

export interface Gitea {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/api/v1`, what `previews.gitea.apiUrl` is set to. */
  apiUrl: string;
  /** The admin's personal access token (every scope). */
  token: string;
  user: string;
  password: string;
  /** Calls the REST API as the admin; throws with Gitea's answer when it is not 2xx. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** The clone URL of `user/name` with the admin's credentials, for pushing. */
  pushUrl(name: string): string;
  /** The anonymous clone URL of `user/name`. */
  cloneUrl(name: string): string;
  stop(): Promise<void>;
}

/**
 * A real Gitea (`gitea web`) on 127.0.0.1 with its own SQLite database in `dir`: no SSH, no mail,
 * no outside network, and webhooks allowed to loopback only (where the test's Wheelhouse listens).
 * An admin user and an access token are made with Gitea's own CLI before it starts.
 */
export async function startGitea(dir: string): Promise<Gitea> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'app.ini');
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(config, appIni(dir, port));
  const env = { ...process.env, HOME: dir, GITEA_WORK_DIR: dir };
  const gitea = (...args: string[]) => run(giteaBinary(), [...args, '--config', config], { env, cwd: dir });
  await gitea('migrate');
  const user = 'wheelhouse-admin';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await gitea(
    'admin',
    'user',
    'create',
    '--admin',
    '--username',
    user,
    '--password',
    password,
    '--email',
    'admin@example.test',
    '--must-change-password=false',
  );
  const { stdout } = await gitea(
    'admin',
    'user',
    'generate-access-token',
    '--username',
    user,
    '--token-name',
    'wheelhouse-previews',
    '--scopes',
    'all',
    '--raw',
  );
  // Gitea logs its run-as-root warning on stdout too: the token is the line of 40 hex digits.
  const token = stdout
    .split('\n')
    .find((line) => /^[0-9a-f]{40}$/.test(line.trim()))
    ?.trim();
  if (!token) throw new Error(`gitea admin user generate-access-token printed no token:\n${stdout}`);
  const child: ChildProcess = spawn(giteaBinary(), ['web', '--config', config], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `token ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Gitea ${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  try {
    await waitFor(
      `Gitea listening on ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`gitea web exited ${child.exitCode}:\n${output}`);
        const response = await fetch(`${url}/api/v1/version`).catch(() => undefined);
        return response?.ok === true;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    apiUrl: `${url}/api/v1`,
    token,
    user,
    password,
    api,
    pushUrl: (name) => `http://${user}:${password}@127.0.0.1:${port}/${user}/${name}.git`,
    cloneUrl: (name) => `${url}/${user}/${name}.git`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function appIni(dir: string, port: number): string {
  const secret = () => randomBytes(32).toString('base64url');
  // Gitea refuses to run as root unless its config says so; CI runs the suite as root.
  return `APP_NAME = Wheelhouse test forge
RUN_MODE = prod
I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true
WORK_PATH = ${dir}

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = ${port}
DOMAIN = 127.0.0.1
ROOT_URL = http://127.0.0.1:${port}/
DISABLE_SSH = true
START_SSH_SERVER = false
OFFLINE_MODE = true
LFS_START_SERVER = false
APP_DATA_PATH = ${join(dir, 'data')}
STATIC_ROOT_PATH = ${dirname(giteaBinary())}

[database]
DB_TYPE = sqlite3
PATH = ${join(dir, 'data', 'gitea.db')}

[repository]
ROOT = ${join(dir, 'repositories')}

[security]
INSTALL_LOCK = true
SECRET_KEY = ${secret()}
INTERNAL_TOKEN = ${secret()}${secret()}

[oauth2]
JWT_SECRET = ${secret()}

[service]
DISABLE_REGISTRATION = true
REQUIRE_SIGNIN_VIEW = false

[webhook]
ALLOWED_HOST_LIST = loopback
DELIVER_TIMEOUT = 10

[mailer]
ENABLED = false

[cron]
ENABLED = false

[indexer]
ISSUE_INDEXER_TYPE = db
REPO_INDEXER_ENABLED = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[actions]
ENABLED = false

[packages]
ENABLED = false

[log]
MODE = console
LEVEL = Warn
ROOT_PATH = ${join(dir, 'log')}
`;
}
