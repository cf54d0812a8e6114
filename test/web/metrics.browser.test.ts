import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServers, type TestServer } from '../support/api-server.js';
import { browsers, chromiumMissing, screenshot, seriousA11yViolations } from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { paintedBars } from '../support/chart-pixels.js';
import { deliveryHistory } from '../support/delivery-history.js';
import { tempDirs } from '../support/tmp.js';

/** Issue 23 item 3: the Metrics page draws the figures and the sync timeline of a real history. */
const missing = chromiumMissing();
if (missing) console.warn(`skipping the Metrics page browser test: ${missing}`);

const LONG = 60_000;

describe.skipIf(missing !== undefined)('the Metrics page', () => {
  const tmp = tempDirs();
  const servers = apiServers();
  const launch = browsers();
  let stack: Awaited<ReturnType<typeof deliveryHistory>>['stack'] | undefined;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt();
    ({ stack, server } = await deliveryHistory(tmp, servers, { dashboard: {} }));
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it(
    'shows the four figures with their definitions, a chart per figure and the sync timeline of that history',
    async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/delivery?app=web`);
      await page.getByLabel('Personal token').fill(server.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Delivery metrics: web', level: 1 }).waitFor({ timeout: LONG });

      const figures = page.locator('.figure');
      expect(await figures.count()).toBe(4);
      expect(await figures.nth(2).textContent()).toContain('25% (1 of 4 changes)');
      expect(await figures.nth(1).textContent()).toContain('(4 commits)');
      expect(await figures.nth(1).textContent()).toContain('author time'); // the definition beside it
      // One small multiple per figure, each an image with a name and its values as a table.
      const charts = page.locator('.small-multiples figure');
      expect(await charts.count()).toBe(4);
      expect(await page.getByRole('img', { name: /Deployments per day/ }).count()).toBe(1);
      // Drawn by uPlot: the day with the crash has a bar of failed changes on the canvas.
      const failed = charts.filter({ hasText: 'Failed changes' });
      expect(await failed.locator('.chart-plot').getAttribute('data-bars')).toBe('29');
      expect(await paintedBars(failed)).toBe(1);
      expect(await paintedBars(charts.filter({ hasText: 'Deployments per day' }))).toBeGreaterThan(0);

      const timeline = page.locator('.sync-timeline');
      await timeline.waitFor({ timeout: LONG });
      await screenshot(page, 'metrics-light');
      expect(await timeline.locator('figcaption').textContent()).toMatch(
        /web: \d+ syncs \(\d+ failed\), 1 rollbacks/,
      );
      expect(await timeline.locator('.sync-succeeded').count()).toBeGreaterThanOrEqual(3);
      expect(await timeline.locator('.band-degraded').count()).toBeGreaterThan(0);
      expect(await timeline.locator('.marker-rollback').count()).toBe(1);
      // Hover text: the commit applied and the person.
      const titles = await timeline.locator('.sync-bar title').allTextContents();
      expect(titles).toContainEqual(expect.stringMatching(/ · succeeded · \w+ “v3” by .+ · synced by git /));
      expect(titles).toContainEqual(expect.stringMatching(/ · failed · \w+ “v4 crashes” by /));
      expect(titles).toContainEqual(expect.stringMatching(/“Roll back web to \w+” by Alice · synced by/));
      expect(await seriousA11yViolations(page)).toEqual([]);
      await context.close();
    },
    LONG * 3,
  );
});
