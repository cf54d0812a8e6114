import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browsers,
  chromiumMissing,
  describeViolations,
  screenshot,
  seriousA11yViolations,
} from '../support/browser.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

/**
 * The dashboard as people use it, in headless Chromium against a real `wheelhouse up` (a child
 * process) on a temp control repo: sign in, live status, chat, approvals by a second person,
 * rollback from history, the activity timeline, accessibility scans, screenshots, sign-out.
 */

const missing = chromiumMissing();
if (missing) console.warn(`skipping the dashboard browser tests: ${missing}`);

const HOOK_SECRET = `hook-${randomUUID()}`;
const LONG = 90_000;

const SERVER = `
const http = require('node:http');
const port = Number(process.env.PORT);
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(req.url === '/healthz' ? 'ok\\n' : process.env.GREETING + '\\n');
}).listen(port, '127.0.0.1', () => console.log('web listening on 127.0.0.1:' + port + ', greeting ' + process.env.GREETING));
process.on('SIGTERM', () => process.exit(0));
`;

function webManifest(port: number, healthPort: number, greeting: string): string {
  return `# The web service. Its health check must pass for a sync to succeed.
apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: web
spec:
  command: ["node", "services/web/server.js"]
  env:
    PORT: "${port}"
    GREETING: "${greeting}"
  health:
    http:
      url: "http://127.0.0.1:${healthPort}/healthz"
    periodSeconds: 1
    startupSeconds: 3
`;
}

const apiManifest = (text: string) => `apiVersion: wheelhouse/v1
kind: File
metadata:
  name: banner
spec:
  path: api/banner.txt
  content: "${text}"
`;

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
    interval: 1h
    sync: { auto: true, retries: 0, timeout: 2m }
  - name: api
    path: apps/api
    environment: prod
    interval: 1h
    sync: { auto: true, retries: 0, timeout: 2m }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
  - { name: Bob, email: bob@example.com, ids: ["web:bob"] }
access:
  bindings:
    - { subjects: ["Alice"], role: deployer }
    - { subjects: ["Bob"], role: approver, environments: [prod] }
  defaultRole: viewer
approvals:
  - { environments: [prod], commands: [sync, rollback], required: 1, expiresAfter: 1h }
webhooks:
  generic: { secretEnv: E2E_HOOK_SECRET }
`;

describe.skipIf(missing !== undefined)('the dashboard in a real browser', () => {
  const tmp = tempDirs();
  const launch = browsers();
  let up: WheelhouseProcess | undefined;
  let url: string;
  let data: string;
  let control: string;
  let outside: string;
  let webPort: number;
  let adminToken: string;
  const tokens: Record<string, string> = {};
  let browser: Browser;
  let alice: BrowserContext;
  let page: Page;
  let firstCommit: string;

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, ...(init.headers as Record<string, string>) },
    });
  const appStatus = async (name: string) =>
    (await (await admin(`/api/v1/apps/${name}`)).json()) as {
      health: { status: string };
      syncStatus: string;
      revision?: string;
      desiredRevision?: string;
      lastSync?: { result: string; revision: string };
    };

  /** Commit to the control repo from outside Wheelhouse and announce it with a signed webhook. */
  async function push(files: Record<string, string>, message: string): Promise<string> {
    await git(outside, 'pull', '--quiet', '--rebase');
    const sha = await commitFiles(outside, files, message);
    await git(outside, 'push', '--quiet', 'origin', 'HEAD:main');
    const body = JSON.stringify({ repository: control, ref: 'refs/heads/main', revision: sha });
    const signature = createHmac('sha256', HOOK_SECRET).update(body).digest('hex');
    const response = await fetch(`${url}/hooks/generic`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': `sha256=${signature}`,
        'x-event': 'push',
        'x-delivery-id': randomUUID(),
      },
      body,
    });
    expect(response.status).toBe(202);
    expect(((await response.json()) as { status: string }).status).toBe('accepted');
    return sha;
  }

  async function newContext(scheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
    return browser.newContext({
      colorScheme: scheme,
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
    });
  }

  async function signIn(context: BrowserContext, user: string): Promise<Page> {
    const p = await context.newPage();
    await p.goto(`${url}/`);
    await p.getByLabel('Personal token').fill(tokens[user] ?? '');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Apps', level: 1 }).waitFor({ timeout: LONG });
    return p;
  }

  async function expectAccessible(p: Page, what: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      const violations = await seriousA11yViolations(p);
      expect(violations, `${what} (${scheme}):\n${describeViolations(violations)}`).toEqual([]);
    }
    await p.emulateMedia({ colorScheme: 'light' });
  }

  /** Screenshots of the page as it is, light and dark. */
  async function shoot(p: Page, name: string): Promise<void> {
    await p.emulateMedia({ colorScheme: 'light' });
    await screenshot(p, `${name}-light`);
    await p.emulateMedia({ colorScheme: 'dark' });
    await screenshot(p, `${name}-dark`);
    await p.emulateMedia({ colorScheme: 'light' });
  }

  const row = (p: Page, app: string) => p.locator(`tr[data-app="${app}"]`);

  beforeAll(async () => {
    await ensureBuilt();
    const seed = await tmp('seed');
    webPort = await freePort();
    firstCommit = await createRepo(
      seed,
      {
        'wheelhouse.yaml': CONFIG,
        'apps/web/web.yaml': webManifest(webPort, webPort, 'hello'),
        'apps/api/banner.yaml': apiManifest('Welcome to the API'),
        'services/web/server.js': SERVER,
      },
      'Start the web service and the API banner',
    );
    control = join(await tmp('control'), 'control.git');
    await git(seed, 'clone', '--quiet', '--bare', seed, control);
    outside = await tmp('outside');
    await git(outside, 'clone', '--quiet', control, '.');
    data = await tmp('data');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    up = runWheelhouse(
      ['up', '--repo', control, '--data', data, '--port', String(port), '--log-format', 'json'],
      { cwd: data, env: { E2E_HOOK_SECRET: HOOK_SECRET } },
    );
    adminToken = await waitFor(
      'the admin token',
      async () => {
        const { readFile } = await import('node:fs/promises');
        return (await readFile(join(data, 'admin-token'), 'utf8')).trim() || undefined;
      },
      { timeoutMs: LONG },
    );
    await waitFor(
      'web and api to be Healthy',
      async () => {
        const [web, api] = await Promise.all([appStatus('web'), appStatus('api')]);
        return web.health.status === 'Healthy' && api.health.status === 'Healthy';
      },
      { timeoutMs: LONG, intervalMs: 250 },
    );
    for (const user of ['alice', 'bob']) {
      const added = await runCli(['user', 'add', user, '--data', data, '--json'], cliEnv());
      expect(added.code, added.stderr).toBe(0);
      tokens[user] = (JSON.parse(added.stdout) as { token: string }).token;
    }
    browser = await launch();
    alice = await newContext();
  }, 240_000);

  afterAll(async () => {
    await up?.stop();
    if (data) await runCli(['down', '--data', data], cliEnv()).catch(() => undefined);
  });

  it(
    'refuses a wrong token with a clear message, then signs in and shows the apps healthy',
    async () => {
      const p = await alice.newPage();
      await p.goto(`${url}/`);
      await p.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectAccessible(p, 'sign-in page');
      await shoot(p, 'sign-in');
      await p.getByLabel('Personal token').fill('wh_not-a-real-token');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
      expect(await p.getByRole('alert').textContent()).toMatch(/wheelhouse user add/);
      await p.close();

      page = await signIn(alice, 'alice');
      await row(page, 'web').getByText('Healthy').waitFor({ timeout: LONG });
      await row(page, 'api').getByText('Healthy').waitFor({ timeout: LONG });
      expect(await row(page, 'web').getByText('Synced').count()).toBe(1);
      expect(await row(page, 'web').textContent()).toContain('Start the web service and the API banner');
      expect(await page.getByText('alice', { exact: true }).count()).toBeGreaterThan(0);
      // The session is an HttpOnly cookie: the page's scripts cannot read it.
      expect(await page.evaluate(() => document.cookie)).toBe('');
      const [cookie] = await alice.cookies();
      expect(cookie).toMatchObject({
        name: 'wheelhouse_session',
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
      });
    },
    LONG,
  );

  it(
    'filters the overview by text, environment and health',
    async () => {
      await page.getByLabel('Environment', { exact: true }).selectOption('prod');
      await row(page, 'web').waitFor({ state: 'detached' });
      expect(await row(page, 'api').count()).toBe(1);
      expect(page.url()).toContain('env=prod');
      await page.getByLabel('Environment', { exact: true }).selectOption('');
      await page.getByLabel('Filter', { exact: true }).fill('dev local');
      await row(page, 'api').waitFor({ state: 'detached' });
      expect(await row(page, 'web').count()).toBe(1);
      await page.getByLabel('Filter', { exact: true }).fill('');
      await page.getByLabel('Health', { exact: true }).selectOption('Degraded');
      await page.getByText('No app matches the filter.').waitFor();
      await page.getByLabel('Health', { exact: true }).selectOption('');
      await row(page, 'api').waitFor();
      await expectAccessible(page, 'apps overview');
    },
    LONG,
  );

  it(
    'runs `sync web` typed in the chat pane to completion in its thread, with suggestions as you type',
    async () => {
      await page.getByRole('link', { name: 'Chat' }).click();
      await page.getByRole('heading', { name: '#ops' }).waitFor();
      const input = page.getByRole('combobox', { name: 'Message' });
      await input.fill('sy');
      const option = page.getByRole('option').filter({ hasText: 'sync <app> [to <rev>]' });
      await option.waitFor();
      await input.press('ArrowDown');
      await input.press('Enter'); // takes the suggestion
      expect(await input.inputValue()).toBe('sync ');
      await input.pressSequentially('we');
      await page.getByRole('option').filter({ hasText: 'sync web' }).waitFor();
      await input.press('Tab');
      expect(await input.inputValue()).toBe('sync web ');
      await input.press('Enter');

      const thread = page
        .locator('li.thread')
        .filter({ has: page.locator('.msg-said', { hasText: /^sync web$/ }) });
      await thread.waitFor({ timeout: LONG });
      await thread.locator('.msg-bot[data-status="done"]').waitFor({ timeout: LONG });
      expect(await thread.locator('.msg-bot').last().textContent()).toMatch(/web/);
      await expectAccessible(page, 'chat room');
      await shoot(page, 'chat');
    },
    LONG,
  );

  it(
    'lets a second person approve a prod sync from the inbox, with what it would change',
    async () => {
      // Alice locks prod's api (auto-sync stops), a commit arrives, and she asks for a sync.
      await page.goto(`${url}/apps/api`);
      await page.getByRole('heading', { name: 'api', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Lock…' }).click();
      await page.getByLabel('Reason', { exact: true }).fill('release freeze');
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      const banner = page.getByRole('region', { name: 'Lock' });
      await banner.waitFor({ timeout: LONG });
      expect(await banner.textContent()).toMatch(/Locked by web:alice.*release freeze/);

      await push({ 'apps/api/banner.yaml': apiManifest('Welcome to the API, v2') }, 'New API banner');
      await page.locator('.app-head').getByText('Out of sync').waitFor({ timeout: LONG });
      await page.getByRole('region', { name: /File banner: live/ }).waitFor({ timeout: LONG });
      await expectAccessible(page, 'app page, locked');
      await shoot(page, 'app-locked');

      await page.getByRole('button', { name: 'Sync now' }).click();
      const waiting = page.getByRole('status').filter({ hasText: 'needs approval' });
      await waiting.waitFor({ timeout: LONG });
      const requestId = /request ([0-9a-f]+)/.exec((await waiting.textContent()) ?? '')?.[1];
      expect(requestId).toBeDefined();

      // Alice sees her own request but may not decide it.
      await page.getByRole('link', { name: /^Approvals/ }).click();
      const mine = page.locator(`[data-approval="${requestId}"]`);
      await mine.waitFor({ timeout: LONG });
      expect(await mine.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
      expect(await mine.getByText('Your request').count()).toBe(1);

      // Bob signs in in another browser context and approves, seeing what it would change.
      const bobContext = await newContext();
      const bob = await signIn(bobContext, 'bob');
      await bob.getByRole('link', { name: /^Approvals/ }).click();
      const card = bob.locator(`[data-approval="${requestId}"]`);
      await card.waitFor({ timeout: LONG });
      const preview = card.getByRole('region', { name: /would change/ });
      expect(await preview.textContent()).toContain('Welcome to the API, v2');
      await expectAccessible(bob, 'approvals inbox');
      await shoot(bob, 'approvals');
      await card.getByRole('button', { name: /^Approve/ }).click();
      await card
        .getByRole('status')
        .filter({ hasText: /Approved; it ran as web:alice/ })
        .waitFor({ timeout: LONG });
      await bobContext.close();

      // It ran as Alice, approved by Bob; Alice's inbox empties live; she unlocks.
      const audit = (await (await admin('/api/v1/audit?app=api&limit=50')).json()) as {
        entries: { actor: string; action: string; decision?: string }[];
      };
      expect(audit.entries.some((e) => e.actor === 'web:bob' && e.decision === 'approved')).toBe(true);
      await mine.getByText('Your request').waitFor({ state: 'detached', timeout: LONG });
      expect((await appStatus('api')).syncStatus).toBe('Synced');
      await page.goto(`${url}/apps/api`);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await banner.waitFor({ state: 'detached', timeout: LONG });
    },
    3 * LONG,
  );

  it(
    'shows a pushed commit changing an app’s status live, without reloading',
    async () => {
      await page.goto(`${url}/`);
      await row(page, 'web').getByText('Healthy').waitFor({ timeout: LONG });
      await page.evaluate(() => {
        (window as unknown as { stillHere: boolean }).stillHere = true;
      });
      // The health check now points at a port nothing listens on: the sync fails, web turns Degraded.
      const broken = await push(
        { 'apps/web/web.yaml': webManifest(webPort, await freePort(), 'hello') },
        'Move the health check',
      );
      await row(page, 'web').getByText('Degraded').waitFor({ timeout: LONG });
      await row(page, 'web').getByText('failed').waitFor({ timeout: LONG });
      expect((await appStatus('web')).lastSync?.revision).toBe(broken);
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      await shoot(page, 'apps');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'apps-narrow');
      await expectAccessible(page, 'apps overview, narrow');
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    2 * LONG,
  );

  it(
    'rolls back from history through a revert commit that the activity timeline shows',
    async () => {
      await row(page, 'web').getByRole('link', { name: 'web' }).click();
      await page.getByRole('heading', { name: 'web', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Desired vs live' }).waitFor();
      await page.locator('.app-head .badge', { hasText: 'Degraded' }).waitFor({ timeout: LONG });
      const history = page.locator('.history-table');
      await history.locator('tbody tr').nth(1).waitFor({ timeout: LONG });
      // The Process's replica as a row under it: its pid, uptime, restarts and the failing probe.
      const replica = page.locator('tr.child-row').filter({ hasText: 'replica-0' });
      await replica.getByText(/probe: failed/).waitFor({ timeout: LONG });
      expect(await replica.textContent()).toMatch(
        /Replicareplica-0.*pid \d+ · up \w+ · \d+ restarts? · probe: failed: GET http:\/\/127\.0\.0\.1:\d+\/healthz failed/,
      );
      await expectAccessible(page, 'app page');
      await shoot(page, 'app');

      const good = history.locator(`tr[data-revision="${firstCommit}"]`).first();
      await good.getByRole('button', { name: /^Roll back to here/ }).click();
      const confirm = page.getByRole('alertdialog');
      await confirm.getByRole('button', { name: 'Roll back', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Roll back web to/ })
        .filter({ hasText: /Healthy|runs/ })
        .waitFor({ timeout: 2 * LONG });
      await waitFor(
        'web to be Healthy again',
        async () => (await appStatus('web')).health.status === 'Healthy',
        {
          timeoutMs: LONG,
        },
      );

      // The process's log, followed live; each line names its replica and when it was written.
      await page.getByRole('checkbox', { name: 'Follow' }).check();
      await page
        .getByRole('region', { name: 'Log of web' })
        .locator('.log-line')
        .filter({ hasText: /^replica-0 \d\d:\d\d:\d\d\.\d{3} .*web listening on/ })
        .first()
        .waitFor({ timeout: LONG });

      await page.getByRole('link', { name: 'Activity' }).click();
      await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
      const revert = page
        .locator('li[data-kind="commit"]')
        .filter({ hasText: `Roll back web to ${firstCommit.slice(0, 7)}` });
      await revert.waitFor({ timeout: LONG });
      expect(await revert.textContent()).toContain('Alice');
      // Filter by app and person: the revert is Alice's and web's.
      await page.getByLabel('App', { exact: true }).selectOption('web');
      await page.getByLabel('Person', { exact: true }).fill('alice');
      await page.getByLabel('Person', { exact: true }).press('Enter');
      await revert.waitFor();
      await waitFor('the timeline to show only web and Alice', async () => {
        const items = await page.locator('li.timeline-item').allTextContents();
        return items.length > 0 && items.every((text) => /web/.test(text) && /alice|Alice/.test(text));
      });
      await expectAccessible(page, 'activity');
      await page.getByLabel('Person', { exact: true }).fill('');
      await page.getByLabel('Person', { exact: true }).press('Enter');
      await page.getByLabel('App', { exact: true }).selectOption('');
      await revert.waitFor();
      await shoot(page, 'activity');
    },
    3 * LONG,
  );

  it(
    'signs out: back to the sign-in page, and the old session cookie no longer works',
    async () => {
      const [cookie] = await alice.cookies();
      expect(cookie).toBeDefined();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await alice.cookies()).toEqual([]);
      const replay = await fetch(`${url}/api/v1/apps`, {
        headers: { cookie: `${cookie?.name}=${cookie?.value}` },
      });
      expect(replay.status).toBe(401);
    },
    LONG,
  );
});
