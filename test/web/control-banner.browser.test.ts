import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortSha } from '../../src/util/index.js';
import { browsers, chromiumMissing, screenshot } from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

/**
 * Issue 14, items 1 and 2: a wheelhouse.yaml that no longer validates, or manifests that do not
 * render, showed nowhere in the dashboard. Every page carries a banner with the refused file's
 * problems (file:line:col) and the revision still in force; the app page names the revision whose
 * manifests fail. Both go away by themselves once the fix is committed. Real `up`, real Chromium.
 */
const missing = chromiumMissing();
if (missing) console.warn(`skipping the control banner browser test: ${missing}`);

const LONG = 90_000;
const CONFIG = 'apps:\n  - name: docs\n    path: apps/docs\n';

const MANIFEST =
  'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n';

describe.skipIf(missing !== undefined)('the dashboard while Git cannot be applied', () => {
  const tmp = tempDirs();
  const launch = browsers();
  let server: UpServer | undefined;
  let repo: string;
  let token: string;
  let good: string;
  let browser: Browser;
  const cli = (...args: string[]) => {
    if (!server) throw new Error('wheelhouse up did not start');
    return server.cli(...args);
  };

  async function signedIn(): Promise<{ page: Page; close(): Promise<void> }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${server?.url}/`);
    await page.getByLabel('Personal token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor({ timeout: LONG });
    return { page, close: () => context.close() };
  }

  async function commit(path: string, content: string, message: string): Promise<string> {
    await writeFile(join(repo, path), content);
    await git(repo, 'commit', '-qam', message);
    expect((await cli('refresh', 'docs')).code).toBe(0);
    return git(repo, 'rev-parse', 'HEAD');
  }

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('repo');
    good = await createRepo(repo, { 'wheelhouse.yaml': CONFIG, 'apps/docs/readme.yaml': MANIFEST });
    server = await startUp(tmp, repo);
    await server.up.waitForMessage(/^docs: sync succeeded/);
    const added = await runCli(['user', 'add', 'alice', '--data', server.data, '--json'], cliEnv());
    expect(added.code, added.stderr).toBe(0);
    token = (JSON.parse(added.stdout) as { token: string }).token;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it(
    'shows a banner on every page with file:line:col and the revision in force, cleared by the fix',
    async () => {
      const { page, close } = await signedIn();
      expect(await page.getByTestId('control-banner').count()).toBe(0);

      const bad = await commit(
        'wheelhouse.yaml',
        `${CONFIG}    sync: { auto: maybe }\n`,
        'break wheelhouse.yaml',
      );

      const banner = page.getByTestId('control-banner');
      await banner.waitFor({ timeout: LONG }); // arrives live, without a reload
      for (const path of ['/', '/activity', '/approvals', '/apps/docs', '/rooms/ops']) {
        await page.goto(`${server?.url}${path}`);
        await banner.waitFor({ timeout: LONG });
        const text = (await banner.textContent()) ?? '';
        expect(text, path).toContain(
          `wheelhouse.yaml at ${shortSha(bad)} is invalid; the configuration of ${shortSha(good)} stays in force`,
        );
        expect(text, path).toMatch(/wheelhouse\.yaml:4:\d+ apps\[0\]\.sync\.auto: must be true or false/);
      }

      await screenshot(page, 'control-banner');
      await commit('wheelhouse.yaml', CONFIG, 'fix wheelhouse.yaml');
      await banner.waitFor({ state: 'detached', timeout: LONG });
      await close();
    },
    LONG * 3,
  );

  it(
    'shows manifests that do not render on the app page, with the revision, cleared by the fix',
    async () => {
      const { page, close } = await signedIn();
      await page.goto(`${server?.url}/apps/docs`);
      const bad = await commit(
        'apps/docs/readme.yaml',
        MANIFEST.replace('content: "hi" }', 'content: "hi", colour: red }'),
        'break the manifest',
      );
      const shown = page.getByTestId('render-error');
      await shown.waitFor({ timeout: LONG }); // live, without a reload
      const text = (await shown.textContent()) ?? '';
      expect(text).toContain(`Render failed at ${shortSha(bad)}`);
      expect(text).toMatch(/apps\/docs\/readme\.yaml:4:\d+/);
      // The diff section names the failure and no longer shows the older render as "in sync".
      const diff = page.getByRole('region', { name: 'Desired vs live' });
      await diff.getByText(`manifests at ${shortSha(bad)} do not render`).waitFor({ timeout: LONG });
      expect(await diff.getByText('in sync, nothing to apply').count()).toBe(0);
      await screenshot(page, 'render-error');
      await commit('apps/docs/readme.yaml', MANIFEST, 'fix the manifest');
      await shown.waitFor({ state: 'detached', timeout: LONG });
      await close();
    },
    LONG * 3,
  );
});
