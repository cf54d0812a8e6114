import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, WheelhouseError } from '../core/index.js';
import { newToken } from '../util/index.js';

export const ADMIN_TOKEN_FILE = 'admin-token';

export interface AdminToken {
  token: string;
  /** Where the token lives; print this, never the token. */
  path: string;
  /** True when this call wrote a new token. */
  created: boolean;
}

/**
 * The admin token of a data dir: read it, or on first start write a new random one with mode
 * 0600. An existing file readable by others is tightened to 0600.
 */
export async function ensureAdminToken(dataDir: string): Promise<AdminToken> {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  const existing = await readToken(path);
  if (existing !== undefined) {
    await chmod(path, 0o600).catch(() => {});
    return { token: existing, path, created: false };
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = newToken('wha_');
  try {
    await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process wrote it first: use theirs.
    const raced = (err as NodeJS.ErrnoException).code === 'EEXIST' ? await readToken(path) : undefined;
    if (raced !== undefined) return { token: raced, path, created: false };
    throw new WheelhouseError(
      'INTERNAL',
      `cannot write the admin token to ${path}: ${errorMessage(err)}; check that the data dir is writable`,
      {
        cause: err,
      },
    );
  }
  return { token, path, created: true };
}

async function readToken(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WheelhouseError('INTERNAL', `cannot read the admin token ${path}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const token = text.trim();
  if (token.length < 16) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `the admin token in ${path} is empty or too short; delete the file and restart to get a new one`,
    );
  }
  return token;
}
