import { resolve } from 'node:path';
import { DEFAULT_URL } from '../client/connection.js';
import { DEFAULT_DATA_DIR } from './data-dir.js';

/**
 * The client command `up` suggests, written so that it works when pasted into another terminal
 * in `cwd`: `--url` when the server is not at the default address (`up --port N`), `--data` when
 * the admin token is not in `./.wheelhouse`. Both can also be set once with the environment.
 */
export function clientHint(server: { url: string; dataDir: string; cwd: string }): string {
  const flags: string[] = [];
  const env: string[] = [];
  if (server.url.replace(/\/+$/, '') !== DEFAULT_URL) {
    flags.push(`--url ${server.url}`);
    env.push(`WHEELHOUSE_URL=${server.url}`);
  }
  if (resolve(server.dataDir) !== resolve(server.cwd, DEFAULT_DATA_DIR)) {
    flags.push(`--data ${quote(server.dataDir)}`);
    env.push(`WHEELHOUSE_DATA=${quote(server.dataDir)}`);
  }
  const command = ['wheelhouse apps', ...flags].join(' ');
  return env.length === 0 ? command : `${command}   (or once: export ${env.join(' ')})`;
}

/** Quotes a path for a POSIX shell when it holds anything but safe characters. */
function quote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
