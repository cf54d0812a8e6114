import { createHmac, randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browsers, chromiumMissing, screenshot } from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

/**
 * Issue 20, the dashboard's previews: a signed pull_request webhook to a real `wheelhouse up`
 * makes a preview; the Previews page lists it and its page shows, per app, the resources the head
 * would configure with the diff, and the file:line of the app that does not render. Real Chromium.
 */
const missing = chromiumMissing();
if (missing) console.warn(`skipping the previews browser test: ${missing}`);

const LONG = 90_000;
const SECRET = `hook-${randomUUID()}`;
const CONFIG = `webhooks: { github: { secretEnv: PREVIEW_HOOK_SECRET } }
apps:
  - { name: api, path: apps/api, interval: 1h }
  - { name: web, path: apps/web, interval: 1h }
`;
const manifest = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec: { path: out/${name}.txt, content: "${content}" }\n`;

describe.skipIf(missing !== undefined)('previews on the dashboard', () => {
  const tmp = tempDirs();
  const launch = browsers();
  let server: UpServer | undefined;
  let browser: Browser;
  let token: string;
  let repo: string;

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('repo');
    await createRepo(repo, {
      'wheelhouse.yaml': CONFIG,
      'apps/api/m.yaml': manifest('api', 'one'),
      'apps/web/m.yaml': manifest('web', 'one'),
    });
    server = await startUp(tmp, repo, ['--log-format', 'json'], { PREVIEW_HOOK_SECRET: SECRET });
    await server.up.waitForMessage(/^web: sync succeeded/);
    const added = await runCli(['user', 'add', 'alice', '--data', server.data, '--json'], cliEnv());
    expect(added.code, added.stderr).toBe(0);
    token = (JSON.parse(added.stdout) as { token: string }).token;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it(
    'lists the preview and shows its apps: the diff of the one changed, file:line of the one broken',
    async () => {
      await git(repo, 'checkout', '--quiet', '-b', 'bump-web');
      const sha = await commitFiles(
        repo,
        {
          'apps/web/m.yaml': manifest('web', 'two'),
          'apps/api/m.yaml': 'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: api\nspec: [\n',
        },
        'bump web, break api',
      );
      await git(repo, 'update-ref', 'refs/pull/12/head', sha);
      await git(repo, 'checkout', '--quiet', 'main');
      const body = JSON.stringify({
        action: 'opened',
        number: 12,
        repository: { full_name: 'acme/deploy', clone_url: repo },
        pull_request: {
          html_url: 'https://github.test/acme/deploy/pull/12',
          title: 'Bump web',
          head: { sha },
        },
      });
      const response = await fetch(`${server?.url}/hooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        },
        body,
      });
      expect(response.status).toBe(202);
      await waitFor(
        'the stored preview',
        async () => {
          const list = await fetch(`${server?.url}/api/v1/previews`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return (await list.text()).includes(sha) || undefined;
        },
        { timeoutMs: LONG },
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}; log: ${server?.up.messages.slice(-15).join(' | ')}`);
      });
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${server?.url}/`);
      await page.getByLabel('Personal token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor({ timeout: LONG });
      await page.getByRole('link', { name: 'Previews' }).click();
      await page.getByRole('heading', { name: 'Previews', level: 1 }).waitFor({ timeout: LONG });
      const row = page.locator('tr[data-preview="github:acme/deploy#12"]');
      await waitFor(
        'the preview in the list',
        async () => {
          if ((await row.count()) > 0) return true;
          await page.reload();
          return undefined;
        },
        { timeoutMs: LONG },
      );
      expect(await row.textContent()).toContain('1 changed, 1 does not render');
      expect(await row.textContent()).toContain(sha.slice(0, 7));

      await row.getByRole('link', { name: /Bump web/ }).click();
      await page.getByRole('heading', { name: 'Bump web', level: 1 }).waitFor({ timeout: LONG });
      const web = page.locator('section[data-app="web"]');
      expect(await web.textContent()).toContain('configured: File/web');
      expect(await web.getByRole('region', { name: /would change in web/ }).textContent()).toContain('two');
      const api = page.locator('section[data-app="api"]');
      expect(await api.textContent()).toMatch(/The head does not render:apps\/api\/m\.yaml:\d+:\d+/);
      expect(page.url()).toBe(`${server?.url}/previews/${encodeURIComponent('github:acme/deploy#12')}`);
      await screenshot(page, 'preview-page');
      await context.close();
    },
    LONG * 3,
  );
});
