import { type Browser, chromium } from 'playwright-core';

/** The Chromium the browser tests and the dashboard bench drive; `WHEELHOUSE_CHROMIUM` overrides. */
export const CHROMIUM = process.env.WHEELHOUSE_CHROMIUM ?? '/usr/bin/chromium';

/** The flags ENVIRONMENT.md asks for: headless, no sandbox (root), nothing that calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium with a fresh temporary profile (Playwright removes it on close); the caller
 * closes it.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}
