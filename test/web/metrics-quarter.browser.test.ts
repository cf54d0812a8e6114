import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServers, type TestServer } from '../support/api-server.js';
import { browsers, chromiumMissing, screenshot, seriousA11yViolations } from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { paintedBars } from '../support/chart-pixels.js';
import { deliveryQuarter, QUARTER_APPS, QUARTER_WEEKS } from '../support/delivery-quarter.js';
import { tempDirs } from '../support/tmp.js';

/** Issue 23: the Metrics page over a quarter of history, the picture the README shows. */
const missing = chromiumMissing();
if (missing) console.warn(`skipping the Metrics page (quarter) browser test: ${missing}`);

const LONG = 60_000;

describe.skipIf(missing !== undefined)('the Metrics page over twelve weeks', () => {
  const tmp = tempDirs();
  const servers = apiServers();
  const launch = browsers();
  let stack: Awaited<ReturnType<typeof deliveryQuarter>>['stack'] | undefined;
  let server: TestServer;
  let commits = 0;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt();
    ({ stack, server, commits } = await deliveryQuarter(tmp, servers));
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it(
    'draws a bar per week with the deployments of that week and a timeline per app',
    async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/delivery?days=90`);
      await page.getByLabel('Personal token').fill(server.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Delivery metrics', level: 1 }).waitFor({ timeout: LONG });

      // Per week over 90 days: 13 or 14 bars; every week of the twelve had deployments.
      const deployments = page.getByRole('figure').filter({ hasText: 'Deployments per week' });
      const slots = Number(await deployments.locator('.chart-plot').getAttribute('data-bars'));
      expect(slots).toBeGreaterThanOrEqual(13);
      expect(await paintedBars(deployments)).toBeGreaterThanOrEqual(QUARTER_WEEKS);
      const values = await deployments.locator('tbody tr td:last-child').allTextContents();
      expect(values.length).toBe(slots);
      expect(values.filter((v) => Number(v) > 0).length).toBeGreaterThanOrEqual(QUARTER_WEEKS);
      // The figure counts every commit applied (the seeded ones that did not fail, and this week's).
      const frequency = await page.locator('.figure').first().textContent();
      const counted = Number(/(\d+) deployments/.exec(frequency ?? '')?.[1]);
      expect(counted).toBeGreaterThan(commits * 0.8);
      expect(counted).toBeLessThanOrEqual(commits + QUARTER_APPS.length);

      const timelines = page.locator('.sync-timeline');
      await timelines.first().waitFor({ timeout: LONG });
      expect(await timelines.count()).toBe(QUARTER_APPS.length);
      expect(await timelines.locator('.sync-bar').count()).toBeGreaterThan(commits);
      expect(await timelines.locator('.sync-failed').count()).toBeGreaterThan(0);
      expect(await timelines.locator('.band-degraded').count()).toBeGreaterThan(0);
      await screenshot(page, 'metrics-quarter');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await context.close();
    },
    LONG * 3,
  );
});
