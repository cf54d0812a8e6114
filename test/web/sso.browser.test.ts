import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browsers, chromiumMissing, screenshot } from '../support/browser.js';
import { ensureBuilt, ROOT } from '../support/build.js';
import { oidcProviders } from '../support/oidc/provider.js';
import { ACCOUNTS, ssoServers } from '../support/oidc/wheelhouse.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the single sign-on browser test: ${missing}`);

/**
 * Single sign-on as a person does it, in headless Chromium: the built dashboard offers SSO first,
 * the test provider's sign-in page, back on the overview as that person; sign-out ends the session
 * at Wheelhouse and at the provider (RP-initiated logout).
 */
describe.skipIf(missing)('dashboard sign-in through single sign-on (Chromium)', () => {
  const providers = oidcProviders();
  const servers = ssoServers();
  const browser = browsers();

  it('lands on the overview as that person, and signs out at both ends', { timeout: 180_000 }, async () => {
    await ensureBuilt();
    const provider = await providers(ACCOUNTS);
    const { server } = await servers(provider, { webRoot: join(ROOT, 'dist', 'web') });
    const page = await (await (await browser()).newContext()).newPage();

    await page.goto(`${server.url}/`);
    const sso = page.getByRole('link', { name: 'Sign in with single sign-on' });
    await sso.waitFor();
    // SSO comes before the token field.
    const order = await page.evaluate(() => {
      const link = document.querySelector('a.sign-in-submit');
      const token = document.querySelector('#token');
      return link && token ? link.compareDocumentPosition(token) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeGreaterThan(0);
    await screenshot(page, 'sign-in-sso');

    await sso.click();
    await page.getByLabel('Account').fill('alice');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByText('alice@example.com').first().waitFor();
    await page.getByRole('heading', { name: 'Apps' }).first().waitFor();
    const session = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    expect(session).toMatchObject({ actor: 'oidc:alice@example.com', via: 'oidc' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks to confirm its own sign-out, then sends the browser back.
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('button[name="logout"][value="yes"]').click();
    await page.waitForURL((url) => url.origin === server.url);
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).waitFor();
    expect(await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status))).toBe(401);

    // The provider's session ended too: signing in again asks for the account.
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await page.getByLabel('Account').waitFor();
  });
});
