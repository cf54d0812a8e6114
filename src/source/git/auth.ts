import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { type RepoAuth, WheelhouseError } from '../../core/index.js';
import type { ParsedRepoUrl } from './url.js';

/** What a git child needs to authenticate: extra env variables, and values to redact from messages. */
export interface GitAuth {
  env: Record<string, string>;
  secrets: string[];
}

/** Username sent with a token when only `passwordEnv` is given (GitHub, Gitea and GitLab accept it). */
export const TOKEN_USERNAME = 'x-access-token';

const SSH_WRAPPER = `#!/bin/sh
# Written by Wheelhouse: git runs this as GIT_SSH. The key and known_hosts paths come from
# environment variables and are only ever expanded inside double quotes, never re-parsed.
if [ -n "\${WHEELHOUSE_SSH_KNOWN_HOSTS:-}" ]; then
  set -- -o "UserKnownHostsFile=\\"$WHEELHOUSE_SSH_KNOWN_HOSTS\\"" -o GlobalKnownHostsFile=/dev/null "$@"
fi
if [ -n "\${WHEELHOUSE_SSH_KEY:-}" ]; then
  set -- -i "$WHEELHOUSE_SSH_KEY" "$@"
fi
exec ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no "$@"
`;

/** Write the GIT_SSH wrapper into `dir` (atomically, idempotently) and return its path. */
export async function ensureSshWrapper(dir: string): Promise<string> {
  const path = join(dir, 'wheelhouse-ssh');
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === SSH_WRAPPER) return path;
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, SSH_WRAPPER, { mode: 0o700 });
  await chmod(tmp, 0o700);
  await rename(tmp, path);
  return path;
}

function authError(repo: string, message: string): WheelhouseError {
  return new WheelhouseError('GIT_AUTH', `credentials for ${repo}: ${message}`, { details: { repo } });
}

function readEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  field: string,
  repo: string,
): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw authError(
      repo,
      `the environment variable ${name} named in auth.${field} is not set; set it where Wheelhouse runs, or remove auth.${field}`,
    );
  }
  return value;
}

/** A path handed to ssh: absolute, and free of characters ssh's option parser would reinterpret. */
function sshPath(path: string, field: string, repo: string): string {
  const abs = isAbsolute(path) ? path : resolvePath(path);
  if (/["%\n\r\0]/.test(abs)) {
    throw authError(repo, `the path in auth.${field} contains '"', '%' or a line break; move the file`);
  }
  if (!existsSync(abs)) throw authError(repo, `the file named by auth.${field} does not exist (${abs})`);
  return abs;
}

/**
 * Credentials for one fetch, passed to git without a shell and without touching the command
 * line or the mirror's config: HTTP(S) basic auth as an `http.<origin>.extraHeader` set through
 * `GIT_CONFIG_COUNT` variables; SSH through the wrapper with key and known_hosts from env vars.
 */
export function gitAuth(
  url: ParsedRepoUrl,
  auth: RepoAuth | undefined,
  env: Readonly<Record<string, string | undefined>>,
  sshWrapper: string,
  repo: string,
): GitAuth {
  if (url.scheme === 'https' || url.scheme === 'http') {
    const config: [string, string][] = [['credential.helper', '']];
    const secrets: string[] = [];
    let username = auth?.usernameEnv ? readEnv(env, auth.usernameEnv, 'usernameEnv', repo) : undefined;
    let password = auth?.passwordEnv ? readEnv(env, auth.passwordEnv, 'passwordEnv', repo) : undefined;
    if (url.embedded) {
      username ??= url.embedded.username;
      password ??= url.embedded.password;
      if (url.embedded.username !== '') secrets.push(url.embedded.username);
    }
    if (password !== undefined && password !== '') {
      const user = username === undefined || username === '' ? TOKEN_USERNAME : username;
      const encoded = Buffer.from(`${user}:${password}`).toString('base64');
      const origin = `${url.scheme}://${url.host}${url.port === undefined ? '' : `:${url.port}`}/`;
      config.push([`http.${origin}.extraHeader`, `Authorization: Basic ${encoded}`]);
      secrets.push(password, encoded);
    } else if (username !== undefined && username !== '' && auth?.usernameEnv) {
      throw authError(
        repo,
        'auth.usernameEnv is set but auth.passwordEnv is not; name the variable holding the password or token',
      );
    }
    const out: Record<string, string> = { GIT_CONFIG_COUNT: String(config.length) };
    config.forEach(([key, value], i) => {
      out[`GIT_CONFIG_KEY_${i}`] = key;
      out[`GIT_CONFIG_VALUE_${i}`] = value;
    });
    return { env: out, secrets };
  }
  if (url.scheme === 'ssh') {
    const out: Record<string, string> = { GIT_SSH: sshWrapper, GIT_SSH_VARIANT: 'ssh' };
    let keyFile: string | undefined;
    if (auth?.sshKeyFileEnv)
      keyFile = sshPath(readEnv(env, auth.sshKeyFileEnv, 'sshKeyFileEnv', repo), 'sshKeyFileEnv', repo);
    else if (auth?.sshKeyFile) keyFile = sshPath(auth.sshKeyFile, 'sshKeyFile', repo);
    if (keyFile !== undefined) out.WHEELHOUSE_SSH_KEY = keyFile;
    if (auth?.knownHostsFile)
      out.WHEELHOUSE_SSH_KNOWN_HOSTS = sshPath(auth.knownHostsFile, 'knownHostsFile', repo);
    return { env: out, secrets: [] };
  }
  return { env: {}, secrets: [] };
}
