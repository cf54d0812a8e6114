import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browsers, chromiumMissing } from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo, git } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

/**
 * Issue 14, item 1: a wheelhouse.yaml that no longer validates showed nowhere in the dashboard.
 * Every page carries a banner with the problem (file:line:col) and the revision still in force,
 * and it goes away by itself once the fix is committed. Real `wheelhouse up`, real Chromium.
 */
const missing = chromiumMissing();
if (missing) console.warn(`skipping the control banner browser test: ${missing}`);

const LONG = 90_000;
const CONFIG = 'apps:\n  - name: docs\n    path: apps/docs\n';

describe.skipIf(missing !== undefined)('the dashboard while wheelhouse.yaml is refused', () => {
  const tmp = tempDirs();
  const launch = browsers();
  let up: WheelhouseProcess | undefined;
  let repo: string;
  let url: string;
  let data: string;
  let token: string;
  let good: string;
  let browser: Browser;
  const cli = (...args: string[]) => runCli([...args, '--url', url, '--data', data], cliEnv());

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('repo');
    good = await createRepo(repo, {
      'wheelhouse.yaml': CONFIG,
      'apps/docs/readme.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n',
    });
    data = await tmp('data');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    up = runWheelhouse(
      ['up', '--repo', repo, '--data', data, '--port', String(port), '--log-format', 'json'],
      {
        cwd: data,
      },
    );
    await up.waitForMessage(/^docs: sync succeeded/);
    const added = await runCli(['user', 'add', 'alice', '--data', data, '--json'], cliEnv());
    expect(added.code, added.stderr).toBe(0);
    token = (JSON.parse(added.stdout) as { token: string }).token;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await up?.stop();
    if (data) await runCli(['down', '--data', data], cliEnv()).catch(() => undefined);
  });

  it(
    'shows a banner on every page with file:line:col and the revision in force, cleared by the fix',
    async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${url}/`);
      await page.getByLabel('Personal token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor({ timeout: LONG });
      expect(await page.getByTestId('control-banner').count()).toBe(0);

      await writeFile(join(repo, 'wheelhouse.yaml'), `${CONFIG}    sync: { auto: maybe }\n`);
      await git(repo, 'commit', '-qam', 'break wheelhouse.yaml');
      const bad = await git(repo, 'rev-parse', 'HEAD');
      expect((await cli('refresh', 'docs')).code).toBe(0);

      const banner = page.getByTestId('control-banner');
      await banner.waitFor({ timeout: LONG }); // arrives live, without a reload
      for (const path of ['/', '/activity', '/approvals', '/apps/docs', '/rooms/ops']) {
        await page.goto(`${url}${path}`);
        await banner.waitFor({ timeout: LONG });
        const text = (await banner.textContent()) ?? '';
        expect(text, path).toContain(
          `wheelhouse.yaml at ${bad.slice(0, 12)} is invalid; the configuration of ${good.slice(0, 12)} stays in force`,
        );
        expect(text, path).toMatch(/wheelhouse\.yaml:4:\d+ apps\[0\]\.sync\.auto: must be true or false/);
      }

      await writeFile(join(repo, 'wheelhouse.yaml'), CONFIG);
      await git(repo, 'commit', '-qam', 'fix wheelhouse.yaml');
      expect((await cli('refresh', 'docs')).code).toBe(0);
      await banner.waitFor({ state: 'detached', timeout: LONG });
      await context.close();
    },
    LONG * 3,
  );
});
