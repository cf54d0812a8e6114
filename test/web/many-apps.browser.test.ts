import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAppName, manyFileApps } from '../../bench/lib/many-apps.js';
import { browsers, chromiumMissing, describeViolations, seriousA11yViolations } from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { createRepo } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

/**
 * Issue 18: the apps page with thousands of apps renders only the rows in view (spacer rows keep
 * the page as tall as the whole table), yet every app stays reachable by scrolling, by keyboard and
 * through the filters, and the table keeps its semantics (`aria-rowcount`, `aria-rowindex`).
 * A real `wheelhouse up` with 2,000 File apps (auto-sync off), real Chromium.
 */
const missing = chromiumMissing();
if (missing) console.warn(`skipping the many-apps dashboard test: ${missing}`);

const APPS = 2_000;
const LAST = manyAppName(APPS - 1);
/** More rows than this in the DOM means the table is not virtualised. */
const MAX_ROWS = 200;
const LONG = 180_000;

describe.skipIf(missing !== undefined)(`the apps page with ${APPS} apps`, () => {
  const tmp = tempDirs();
  const launch = browsers();
  let server: UpServer | undefined;
  let browser: Browser;
  let page: Page;

  const row = (name: string) => page.locator(`tr[data-app="${name}"]`);
  const caption = () => page.locator('.apps-table caption').textContent();
  const domRows = () => page.locator('tr').count();

  /** Scrolls to the end of the page until `name`'s row is rendered and in view (the height settles as rows are measured). */
  async function scrollToEndUntil(name: string): Promise<void> {
    await waitFor(`${name}'s row in view after scrolling to the end`, () =>
      page.evaluate((app) => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        const box = document.querySelector(`tr[data-app="${app}"]`)?.getBoundingClientRect();
        return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight + 1;
      }, name),
    );
  }

  beforeAll(async () => {
    await ensureBuilt();
    const repo = await tmp('repo');
    await createRepo(repo, manyFileApps(APPS));
    server = await startUp(tmp, repo);
    const url = server.url;
    const token = (await readFile(join(server.data, 'admin-token'), 'utf8')).trim();
    await waitFor(
      `the API to list all ${APPS} apps`,
      async () => {
        const response = await fetch(`${url}/api/v1/apps`, { headers: { authorization: `Bearer ${token}` } });
        return response.ok && ((await response.json()) as { apps: unknown[] }).apps.length === APPS;
      },
      { timeoutMs: LONG, intervalMs: 500 },
    );
    browser = await launch();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    page = await context.newPage();
    await page.goto(`${url}/`);
    await page.getByLabel('Personal token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor({ timeout: LONG });
  }, LONG + 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it(
    'counts every app but renders only the rows in view, as a table that says how many rows it has',
    async () => {
      await row(manyAppName(0)).waitFor({ timeout: LONG });
      expect(await page.locator('.summary').textContent()).toMatch(new RegExp(`^${APPS} apps`));
      expect(await caption()).toBe(`Apps, ${APPS} of ${APPS} shown`);
      expect(await domRows()).toBeLessThan(MAX_ROWS);
      expect(await page.locator('.apps-table').getAttribute('aria-rowcount')).toBe(String(APPS + 1));
      expect(await row(manyAppName(0)).getAttribute('aria-rowindex')).toBe('2');
      expect(await row(LAST).count()).toBe(0);
      // The page is as tall as all the rows, so the scroll bar tells where you are.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeGreaterThan(APPS * 20);
    },
    LONG,
  );

  it(
    'shows the last app after scrolling to the end, still with few rows, accessible',
    async () => {
      await scrollToEndUntil(LAST);
      expect(await row(LAST).getAttribute('aria-rowindex')).toBe(String(APPS + 1));
      expect(await row(manyAppName(0)).count()).toBe(0);
      expect(await domRows()).toBeLessThan(MAX_ROWS);
      // Half way, with spacer rows above and below the rendered ones.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
      await waitFor('rows around the middle', async () => {
        const index = Number(await page.locator('tr[data-app]').first().getAttribute('aria-rowindex'));
        return index > APPS / 4 && index < (3 * APPS) / 4;
      });
      expect(await page.locator('tr.spacer-row').count()).toBe(2);
      const violations = await seriousA11yViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    },
    LONG,
  );

  it(
    'lets the keyboard walk past the rows first rendered',
    async () => {
      await page.evaluate(() => window.scrollTo(0, 0));
      await row(manyAppName(0)).getByRole('link').focus();
      const steps = 80; // well past the first screenful and its overscan
      for (let i = 1; i <= steps; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
        expect(focused, `Tab ${i} from the first app`).toBe(manyAppName(i));
        // The row after the focused one is there before the next Tab (rendered as focus scrolls the page).
        await waitFor(
          `the row after ${manyAppName(i)}`,
          async () => (await row(manyAppName(i + 1)).count()) > 0,
        );
      }
    },
    LONG,
  );

  it(
    'keeps focus on an app link while the page scrolls far away from it',
    async () => {
      await page.evaluate(() => window.scrollTo(0, 0));
      const first = manyAppName(0);
      await row(first).getByRole('link').focus();
      await scrollToEndUntil(LAST);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(first);
      expect(await row(first).getAttribute('aria-rowindex')).toBe('2');
      expect(await domRows()).toBeLessThan(MAX_ROWS);
      expect(await page.locator('tr[data-pinned]').count()).toBe(1);
      // Once focus leaves the table, the row is no longer kept: far from the window, it goes.
      await page.getByLabel('Filter', { exact: true }).focus(); // scrolls back up to the filter
      await page.locator('tr[data-pinned]').waitFor({ state: 'detached' });
      await scrollToEndUntil(LAST);
      await row(first).waitFor({ state: 'detached' });
    },
    LONG,
  );

  it(
    'narrows the list with the environment filter and reaches its last app',
    async () => {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByLabel('Environment', { exact: true }).selectOption('prod');
      const prod = Array.from({ length: APPS }, (_, i) => i).filter((i) => i % 3 === 2);
      const lastProd = manyAppName(prod[prod.length - 1] ?? 0);
      await waitFor(
        'the prod apps only',
        async () => (await caption()) === `Apps, ${prod.length} of ${APPS} shown`,
      );
      expect(await page.locator('.apps-table').getAttribute('aria-rowcount')).toBe(String(prod.length + 1));
      expect(await row(manyAppName(0)).count()).toBe(0);
      expect(page.url()).toContain('env=prod');
      await scrollToEndUntil(lastProd);
      expect(await row(lastProd).getAttribute('aria-rowindex')).toBe(String(prod.length + 1));
      expect(await row(LAST).count()).toBe(0);
      expect(await domRows()).toBeLessThan(MAX_ROWS);

      // Text on top: the last ten apps, of which three are in prod.
      await page.getByLabel('Filter', { exact: true }).fill(manyAppName(APPS - 1).slice(0, -1));
      await waitFor('three apps', async () => (await caption()) === `Apps, 3 of ${APPS} shown`);
      expect(await page.locator('tr[data-app]').count()).toBe(3);
      expect(await page.locator('tr.spacer-row').count()).toBe(0);
      await page.getByLabel('Filter', { exact: true }).fill('');
      await page.getByLabel('Environment', { exact: true }).selectOption('');
      await waitFor('every app again', async () => (await caption()) === `Apps, ${APPS} of ${APPS} shown`);
    },
    LONG,
  );

  it(
    'reaches the last app on a narrow screen, where rows are cards',
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await row(manyAppName(0)).waitFor();
      await scrollToEndUntil(LAST);
      expect(await domRows()).toBeLessThan(MAX_ROWS);
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    LONG,
  );
});
