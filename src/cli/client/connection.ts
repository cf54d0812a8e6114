import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { errorMessage, WheelhouseError } from '../../core/index.js';
import { credentialsFile, loginToken } from './credentials.js';

export const DEFAULT_URL = 'http://127.0.0.1:7070';
export const DEFAULT_DATA_DIR = '.wheelhouse';

/** Options every client command takes. */
export interface ClientOptions {
  url?: string;
  data?: string;
  json?: boolean;
}

/** Adds `--url`, `--data` and `--json` to a client command. */
export function withClientOptions(command: Command): Command {
  return command
    .option('--json', "print the API's JSON instead of tables")
    .option('--url <url>', `server to talk to (env WHEELHOUSE_URL, default ${DEFAULT_URL})`)
    .option(
      '--data <dir>',
      `data dir of the server, to read its admin-token when WHEELHOUSE_TOKEN is not set (env WHEELHOUSE_DATA, default ./${DEFAULT_DATA_DIR})`,
    );
}

export interface Connection {
  url: string;
  token: string;
  /** Where the token came from, for error messages. */
  tokenSource: string;
}

/**
 * Server URL from `--url`, WHEELHOUSE_URL or the default; token from WHEELHOUSE_TOKEN, then
 * `wheelhouse login`'s for that server (renewed when due), then `<data>/admin-token`.
 */
export async function resolveConnection(
  options: ClientOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Connection> {
  const url = (options.url ?? env.WHEELHOUSE_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `server URL ${JSON.stringify(url)} is not an http(s) URL; set WHEELHOUSE_URL or --url to e.g. ${DEFAULT_URL}`,
    );
  }
  const fromEnv = env.WHEELHOUSE_TOKEN?.trim();
  if (fromEnv) return { url, token: fromEnv, tokenSource: 'WHEELHOUSE_TOKEN' };
  const signedIn = await loginToken(url, env);
  if (signedIn) return { url, token: signedIn, tokenSource: `wheelhouse login (${credentialsFile(env)})` };
  const dataDir = resolve(options.data ?? env.WHEELHOUSE_DATA ?? DEFAULT_DATA_DIR);
  const file = join(dataDir, 'admin-token');
  let token: string;
  try {
    token = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : errorMessage(err);
    throw new WheelhouseError(
      'UNAUTHENTICATED',
      `no API token: set WHEELHOUSE_TOKEN, or pass --data <dir> with the data dir of \`wheelhouse up\` (tried ${file}: ${why})`,
    );
  }
  if (token === '')
    throw new WheelhouseError(
      'UNAUTHENTICATED',
      `${file} is empty; set WHEELHOUSE_TOKEN or restart \`wheelhouse up\` to write a new admin token`,
    );
  return { url, token, tokenSource: file };
}
