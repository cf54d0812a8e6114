import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { errorMessage, WheelhouseError } from '../../core/index.js';

/** What `wheelhouse login` keeps per server (the API's answer to the code or refresh exchange). */
export interface StoredLogin {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  refreshExpiresAt: string;
  user: string;
  actor: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `WHEELHOUSE_CREDENTIALS`, else `$XDG_CONFIG_HOME/wheelhouse/credentials.json` (`~/.config/...`). */
export function credentialsFile(env: Env = process.env): string {
  if (env.WHEELHOUSE_CREDENTIALS) return env.WHEELHOUSE_CREDENTIALS;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'wheelhouse', 'credentials.json');
}

async function readAll(file: string): Promise<Record<string, StoredLogin>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new WheelhouseError(
      'UNAVAILABLE',
      `cannot read ${file} (${errorMessage(err)}); fix its permissions or delete it and run \`wheelhouse login\``,
    );
  }
  try {
    const parsed = JSON.parse(text) as { servers?: Record<string, StoredLogin> };
    return parsed.servers ?? {};
  } catch {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `${file} is not valid JSON; delete it and run \`wheelhouse login\` again`,
    );
  }
}

/** The login stored for `url`, if any. */
export async function storedLogin(url: string, env: Env = process.env): Promise<StoredLogin | undefined> {
  return (await readAll(credentialsFile(env)))[url];
}

/** Stores (or with undefined, removes) the login for `url`; the file is written 0600, atomically. */
export async function saveLogin(
  url: string,
  login: StoredLogin | undefined,
  env: Env = process.env,
): Promise<string> {
  const file = credentialsFile(env);
  const servers = await readAll(file);
  if (login) servers[url] = login;
  else delete servers[url];
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ servers }, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
  return file;
}

/**
 * A usable access token for `url` from the stored login: as stored while it has more than 30 s
 * left, else renewed with the refresh token (and stored again). Undefined when there is no login.
 */
export async function loginToken(url: string, env: Env = process.env): Promise<string | undefined> {
  const login = await storedLogin(url, env);
  if (!login) return undefined;
  if (Date.parse(login.expiresAt) - 30_000 > Date.now()) return login.accessToken;
  let response: Response;
  try {
    response = await fetch(`${url}/api/v1/session/cli/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: login.refreshToken }),
    });
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `cannot reach ${url} to renew your sign-in (${errorMessage(err)}); check the server is up`,
    );
  }
  if (!response.ok) {
    await saveLogin(url, undefined, env);
    throw new WheelhouseError(
      'UNAUTHENTICATED',
      `your sign-in to ${url} has ended (expired, signed out, or the server restarted); run \`wheelhouse login --url ${url}\``,
    );
  }
  const renewed = (await response.json()) as StoredLogin;
  await saveLogin(url, renewed, env);
  return renewed.accessToken;
}
