import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { errorMessage, WheelhouseError } from '../core/index.js';
import { DEFAULT_URL } from './client/connection.js';
import { credentialsFile, type StoredLogin, saveLogin, storedLogin } from './client/credentials.js';
import { createOutput } from './client/output.js';
import type { RegisterCommand } from './commands.js';

const random = () => randomBytes(32).toString('base64url');
const serverUrl = (url: string | undefined) =>
  (url ?? process.env.WHEELHOUSE_URL ?? DEFAULT_URL).replace(/\/+$/, '');

/** Opens `url` in the desktop's browser, if there is one; failures are silent (the URL is printed). */
function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener here: the printed URL is the way.
  }
}

/** Waits on 127.0.0.1 for the browser to come back with `?code&state`; the listener is closed after. */
function loopbackListener(state: string): Promise<{ port: number; code: Promise<string>; close(): void }> {
  return new Promise((resolve, reject) => {
    let deliver: (code: string) => void = () => undefined;
    const code = new Promise<string>((r) => {
      deliver = r;
    });
    const server: Server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const got = url.searchParams.get('code');
      if (url.pathname !== '/callback' || url.searchParams.get('state') !== state || !got) {
        response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(
          'This is not the sign-in wheelhouse login is waiting for; run `wheelhouse login` again.\n',
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Signed in to Wheelhouse. You can close this tab and go back to the terminal.\n');
      deliver(got);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, code, close: () => server.close() }),
    );
  });
}

async function requestJson<T>(url: string, body: unknown | undefined, what: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(
      url,
      body === undefined
        ? {}
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `cannot reach ${url} to ${what} (${errorMessage(err)}); check the server is up`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) {
    throw new WheelhouseError(
      'UNAUTHENTICATED',
      answer.error?.message ?? `${url} answered ${response.status} to ${what}`,
    );
  }
  return answer as T;
}

function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description(
      'sign in to a server through its single sign-on (auth.oidc or auth.github) and keep a short-lived token for it',
    )
    .option('--url <url>', `server to sign in to (env WHEELHOUSE_URL, default ${DEFAULT_URL})`)
    .option('--no-browser', 'only print the address to open (for a shell without a desktop)')
    .option('--timeout <seconds>', 'how long to wait for the browser', '300')
    .addHelpText(
      'after',
      '\nExamples:\n  wheelhouse login --url https://wheelhouse.example.com\n  wheelhouse login --no-browser',
    )
    .action(async (opts: { url?: string; browser: boolean; timeout: string }) => {
      const out = createOutput();
      const url = serverUrl(opts.url);
      const state = random();
      const verifier = random();
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const listener = await loopbackListener(state);
      try {
        // Where this server signs people in (OpenID Connect or GitHub), as it tells the sign-in page.
        const methods = await requestJson<{ sso?: { url: string } }>(
          `${url}/api/v1/session/methods`,
          undefined,
          'learn how it signs people in',
        );
        if (!methods.sso) {
          throw new WheelhouseError(
            'UNAVAILABLE',
            `${url} has no single sign-on (neither auth.oidc nor auth.github in its wheelhouse.yaml); sign in with a token instead (WHEELHOUSE_TOKEN or --token), see docs/authentication.md`,
          );
        }
        const start = new URL(`${url}${methods.sso.url}`);
        start.search = new URLSearchParams({
          cli_redirect: `http://127.0.0.1:${listener.port}/callback`,
          cli_challenge: challenge,
          cli_state: state,
        }).toString();
        out.line(`Open this address to sign in to ${url}:`);
        out.line(`  ${start.toString()}`);
        if (opts.browser) openBrowser(start.toString());
        const seconds = Number(opts.timeout);
        const timeout = new Promise<never>((_, reject) =>
          setTimeout(
            () =>
              reject(
                new WheelhouseError(
                  'UNAVAILABLE',
                  `no sign-in came back within ${seconds} s; run \`wheelhouse login\` again`,
                ),
              ),
            seconds * 1000,
          ).unref(),
        );
        const code = await Promise.race([listener.code, timeout]);
        const login = await requestJson<StoredLogin>(
          `${url}/api/v1/session/cli`,
          { code, verifier },
          'finish the sign-in',
        );
        const file = await saveLogin(url, login);
        out.line(
          `Signed in to ${url} as ${login.actor}. The token renews itself until ${login.refreshExpiresAt}; stored in ${file}.`,
        );
      } finally {
        listener.close();
      }
    });
}

function registerLogoutCommand(program: Command): void {
  program
    .command('logout')
    .description('end the sign-in `wheelhouse login` made for a server, and forget its token')
    .option('--url <url>', `server to sign out of (env WHEELHOUSE_URL, default ${DEFAULT_URL})`)
    .action(async (opts: { url?: string }) => {
      const out = createOutput();
      const url = serverUrl(opts.url);
      const login = await storedLogin(url);
      if (!login) {
        out.line(`Not signed in to ${url} (nothing in ${credentialsFile()}).`);
        return;
      }
      const revoked = await requestJson<{ revoked: boolean }>(
        `${url}/api/v1/session/cli/revoke`,
        { refreshToken: login.refreshToken },
        'end the sign-in',
      ).catch(() => ({ revoked: false }));
      await saveLogin(url, undefined);
      out.line(
        `Signed out of ${url} (${login.actor})${revoked.revoked ? '' : '; the server no longer knew the sign-in'}; its token is removed from ${credentialsFile()}.`,
      );
    });
}

export const registerLogin: RegisterCommand = (program) => registerLoginCommand(program);
export const registerLogout: RegisterCommand = (program) => registerLogoutCommand(program);
