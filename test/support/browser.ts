import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { CHROMIUM, launchChromium } from '../../bench/lib/chromium.js';
import { ROOT } from './build.js';
import { missingComponent } from './components.js';

export { CHROMIUM, CHROMIUM_ARGS } from '../../bench/lib/chromium.js';

/** Why browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return missingComponent(
    `Chromium (${CHROMIUM})`,
    'apt-get install -y chromium (or set WHEELHOUSE_CHROMIUM)',
    existsSync(CHROMIUM),
  );
}

/**
 * Headless Chromium for a test file, closed in afterAll (also on failure). Playwright starts it
 * with a fresh temporary profile (`--user-data-dir`) and removes it on close.
 */
export function browsers(): () => Promise<Browser> {
  const opened: Browser[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close().catch(() => undefined)));
  });
  return async () => {
    const browser = await launchChromium();
    opened.push(browser);
    return browser;
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

/** Runs axe-core on the page; returns the violations of impact serious or critical. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    )
    .join('\n');
}

/**
 * Where the browser suite writes its screenshots: `test-results/screenshots/` (ignored by git), or
 * with `WHEELHOUSE_UPDATE_SCREENSHOTS=1` the committed `docs/screenshots/` the README shows, so a
 * test run leaves the working tree clean unless you mean to refresh them.
 */
export const SCREENSHOTS = process.env.WHEELHOUSE_UPDATE_SCREENSHOTS
  ? join(ROOT, 'docs', 'screenshots')
  : join(ROOT, 'test-results', 'screenshots');

/** A full-page screenshot into SCREENSHOTS/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Relative times and the caret would make every run differ; hide the caret at least.
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    caret: 'hide',
    animations: 'disabled',
  });
}
