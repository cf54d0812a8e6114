import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchChromium } from '../lib/chromium.js';
import { manyAppName, manyFileApps } from '../lib/many-apps.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { percentile, round } from '../lib/stats.js';
import { benchRepo, startBenchWheelhouse, stopBenchWheelhouse } from '../lib/wheelhouse.js';

const APPS = Number(process.env.WHEELHOUSE_BENCH_DASHBOARD_APPS ?? 10_000);
const LOADS = 5;
const WAIT_MS = 120_000;

/**
 * Milliseconds from navigation start to the first frame in which the apps table shows rows and
 * the summary counts every app, read in the page (`performance.now()` counts from navigation start).
 */
async function firstRender(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const shown = await page
    .waitForFunction(
      (apps) => {
        const summary = document.querySelector('.summary')?.textContent ?? '';
        const row = document.querySelector('.apps-table tbody tr[data-app]');
        return row && summary.startsWith(`${apps} apps`) ? performance.now() : false;
      },
      APPS,
      { polling: 'raf', timeout: WAIT_MS },
    )
    .catch(async (err: unknown) => {
      const seen = await page
        .evaluate(() => ({
          summary: document.querySelector('.summary')?.textContent ?? '(no summary)',
          rows: document.querySelectorAll('tr[data-app]').length,
          main: document.querySelector('main')?.textContent?.slice(0, 300) ?? '',
        }))
        .catch(() => undefined);
      throw new Error(
        `the apps page did not show ${APPS} apps within ${WAIT_MS} ms (it showed ${JSON.stringify(seen)}); ` +
          'run the scenario with fewer apps (WHEELHOUSE_BENCH_DASHBOARD_APPS) to see whether it is size or a fault',
        { cause: err },
      );
    });
  return (await shown.jsonValue()) as number;
}

/** Milliseconds from scrolling to the page's end to the frame showing the last app's row in view. */
function scrollToEnd(page: Page, last: string): Promise<number> {
  return page.evaluate(async (name) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const started = performance.now();
    for (let i = 0; i < 600; i++) {
      window.scrollTo(0, document.documentElement.scrollHeight);
      await frame();
      const row = document.querySelector(`tr[data-app="${name}"]`);
      const box = row?.getBoundingClientRect();
      if (box && box.top >= 0 && box.bottom <= window.innerHeight + 1) return performance.now() - started;
    }
    throw new Error(`the row of ${name} never came into view after scrolling to the end of the apps page`);
  }, last);
}

/**
 * The apps overview with 10,000 apps in headless Chromium against `wheelhouse up` in this process:
 * first render (p50 of LOADS page loads), the `<tr>` elements in the DOM, scrolling to the last
 * app, and the text filter. Each app is one File with auto-sync off, so nothing converges
 * while the page is measured.
 */
export const dashboard10k: Scenario = {
  name: 'dashboard-10k',
  description: `the apps page with ${APPS} apps in headless Chromium: first render, scroll to the end, the text filter`,
  async run(context) {
    const repo = await context.tmp('control');
    const data = await context.tmp('data');
    // No environments, as in the published figures (wheelhouse.yaml's old 100,000-value limit refused them).
    await benchRepo(repo, manyFileApps(APPS, { environments: false }));
    const loadStarted = performance.now();
    const running = await startBenchWheelhouse(repo, data);
    const server = running.server;
    if (!server)
      throw new Error('the HTTP server did not start: the dashboard bench needs `http` in the options');
    const rows: BenchRow[] = [];
    const browser = await launchChromium();
    try {
      await running.engine.settled();
      const loadMs = performance.now() - loadStarted;
      const token = (await readFile(server.adminTokenFile, 'utf8')).trim();
      const body = await (
        await fetch(`${server.url}/api/v1/apps`, { headers: { authorization: `Bearer ${token}` } })
      ).arrayBuffer();
      const listed = JSON.parse(new TextDecoder().decode(body)) as { apps: unknown[]; control: unknown };
      if (listed.apps.length !== APPS)
        throw new Error(
          `expected ${APPS} apps, the API lists ${listed.apps.length} (control: ${JSON.stringify(listed.control)}); ` +
            'check the generated wheelhouse.yaml (bench/lib/many-apps.ts) against the configuration limits',
        );

      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${server.url}/`);
      await page.getByLabel('Personal token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor({ timeout: WAIT_MS });

      const loads: number[] = [];
      for (let i = 0; i < LOADS; i++) loads.push(await firstRender(page, `${server.url}/`));
      const domRows = await page.locator('tr').count();
      rows.push({
        metric: `first render, ${APPS} apps (p50 of ${LOADS} loads)`,
        value: round(percentile(loads, 50)),
        unit: 'ms',
        target: '< 1000 ms',
        detail: {
          'max ms': round(Math.max(...loads)),
          '<tr> in the DOM': domRows,
          'list KiB': round(body.byteLength / 1024),
        },
      });

      const scrolled = await scrollToEnd(page, manyAppName(APPS - 1));
      rows.push({
        metric: 'scroll to the end → last app in view',
        value: round(scrolled),
        unit: 'ms',
        detail: { '<tr> in the DOM': await page.locator('tr').count() },
      });

      // The text filter: every word against name, environment, target, revision and subject of each app.
      const prefix = manyAppName(APPS - 1).slice(0, -2); // app-099: the last 100 apps
      const matching = Array.from({ length: APPS }, (_, i) => manyAppName(i)).filter((n) =>
        n.startsWith(prefix),
      );
      const filterStarted = performance.now();
      await page.getByLabel('Filter', { exact: true }).fill(prefix);
      await page.waitForFunction(
        (text) => document.querySelector('.apps-table caption')?.textContent?.includes(text),
        `${matching.length} of ${APPS} shown`,
        { polling: 'raf', timeout: WAIT_MS },
      );
      rows.push({
        metric: `text filter → ${matching.length} rows shown`,
        value: round(performance.now() - filterStarted),
        unit: 'ms',
      });
      rows.push({ metric: `start + load ${APPS} apps`, value: round(loadMs), unit: 'ms' });
    } finally {
      await browser.close().catch(() => undefined);
      await stopBenchWheelhouse(running, data);
    }
    return rows;
  },
};
