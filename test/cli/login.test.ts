import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli, spawnCli } from '../support/cli.js';
import { oidcProviders } from '../support/oidc/provider.js';
import { runSignIn } from '../support/oidc/sign-in.js';
import { ACCOUNTS, ssoServers } from '../support/oidc/wheelhouse.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `wheelhouse login` (the built CLI, a child process) against a server with single sign-on through
 * the test provider: the browser's part is played by fetch from the printed address to the CLI's
 * loopback listener; then `whoami`, a renewal of the short-lived token, and `logout`.
 */
describe('wheelhouse login / whoami / logout through single sign-on', () => {
  const providers = oidcProviders();
  const servers = ssoServers();
  const tmp = tempDirs();

  it('signs in, says who and where rights come from, renews the token, signs out', {
    timeout: 240_000,
  }, async () => {
    await ensureBuilt();
    const provider = await providers(ACCOUNTS);
    const { server } = await servers(provider);
    const dir = await tmp('cli-login');
    const credentials = join(dir, 'credentials.json');
    const env = cliEnv({ WHEELHOUSE_CREDENTIALS: credentials, WHEELHOUSE_DATA: join(dir, 'no-data-dir') });

    const login = spawnCli(['login', '--url', server.url, '--no-browser', '--timeout', '120'], env);
    await waitFor('the sign-in address', () => /\/auth\/oidc\/login\?\S+/.test(login.output()), {
      timeoutMs: 60_000,
    });
    const address = /(https?:\/\/\S+\/auth\/oidc\/login\?\S+)/.exec(login.output())?.[1] ?? '';
    const browser = await runSignIn(address, 'alice');
    expect(browser.finalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    expect(await browser.final.text()).toContain('Signed in to Wheelhouse');
    expect(await login.exited).toBe(0);
    expect(login.output()).toContain(`Signed in to ${server.url} as oidc:alice@example.com`);

    const stored = JSON.parse(await readFile(credentials, 'utf8')) as {
      servers: Record<string, { accessToken: string; expiresAt: string }>;
    };
    const first = stored.servers[server.url];
    expect(first?.accessToken).toMatch(/^whsso_/);

    const whoami = await runCli(['whoami', '--url', server.url], env);
    expect(whoami.stderr).toBe('');
    expect(whoami.stdout).toContain(`Alice Doe (oidc:alice@example.com) on ${server.url}`);
    expect(whoami.stdout).toContain('groups: platform-team, everyone');
    expect(whoami.stdout).toContain(
      'deployer: apps *, environments * (access.bindings, as group:platform-team)',
    );
    expect(whoami.stdout).toContain("viewer: everyone's default role");

    // The token is due: the next command renews it with the refresh token, without asking.
    const due = { ...stored, servers: { [server.url]: { ...first, expiresAt: new Date(0).toISOString() } } };
    await writeFile(credentials, JSON.stringify(due));
    const apps = await runCli(['apps', '--url', server.url], env);
    expect(apps.code).toBe(0);
    const renewed = JSON.parse(await readFile(credentials, 'utf8')) as typeof stored;
    expect(renewed.servers[server.url]?.accessToken).toMatch(/^whsso_/);
    expect(renewed.servers[server.url]?.accessToken).not.toBe(first?.accessToken);
    // The old access token no longer matters; the old refresh token was used up.

    const logout = await runCli(['logout', '--url', server.url], env);
    expect(logout.stdout).toContain(`Signed out of ${server.url} (oidc:alice@example.com)`);
    const old = await fetch(`${server.url}/api/v1/session`, {
      headers: { authorization: `Bearer ${renewed.servers[server.url]?.accessToken}` },
    });
    expect(old.status).toBe(401);
    const after = await runCli(['whoami', '--url', server.url], env);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('no API token');
  });
});
