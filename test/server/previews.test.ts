import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiServers } from '../support/api-server.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 20, previews through the server: a signed GitHub `pull_request` delivery for a followed
 * repo makes the engine preview the head; `GET /api/v1/previews` and `/api/v1/previews/:id` show
 * the newest report per pull request, replaced (not added to) by a second push.
 */
const tmp = tempDirs();
const start = apiServers();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
const SECRET = 'preview-hook-secret';
beforeAll(() => {
  process.env.GH_PREVIEW_SECRET = SECRET;
});
afterAll(() => {
  delete process.env.GH_PREVIEW_SECRET;
});

const CONFIG = `webhooks: { github: { secretEnv: GH_PREVIEW_SECRET } }
apps:
  - { name: api, path: apps/api }
  - { name: web, path: apps/web }
`;
const file = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec:\n  content: ${content}\n`;

describe('pull request previews over the API', () => {
  it('a pull_request delivery stores a preview of only the app it changes; a second push replaces it', async () => {
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'apps/api/m.yaml': file('api', 'one'),
        'apps/web/m.yaml': file('web', 'one'),
      },
      driver: new FakeDriver('process'),
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const server = await start({ engine: h.engine, store: h.store });

    const push = async (files: Record<string, string | null>, action: string) => {
      await git(h.repoDir, 'checkout', '--quiet', '-B', 'feature', action === 'opened' ? 'main' : 'feature');
      const sha = await h.commit(files, `pull request push (${action})`);
      await git(h.repoDir, 'update-ref', 'refs/pull/3/head', sha);
      await git(h.repoDir, 'checkout', '--quiet', 'main');
      const body = JSON.stringify({
        action,
        number: 3,
        repository: { full_name: 'acme/deploy', clone_url: h.repoDir },
        pull_request: {
          html_url: 'https://github.test/acme/deploy/pull/3',
          title: 'Bump web',
          head: { sha },
        },
      });
      const response = await fetch(`${server.url}/hooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        },
        body,
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ preview: 'github:acme/deploy#3' });
      return sha;
    };

    const first = await push({ 'apps/web/m.yaml': file('web', 'two') }, 'opened');
    const id = encodeURIComponent('github:acme/deploy#3');
    const stored = await waitFor('the first preview', async () => {
      const r = await server.api(`/api/v1/previews/${id}`);
      return r.status === 200
        ? ((await r.json()) as { report: { revision: string; apps: { app: string }[] } })
        : undefined;
    });
    expect(stored.report.revision).toBe(first);
    expect(stored.report.apps.map((a) => a.app)).toEqual(['web']);

    const second = await push({ 'apps/api/m.yaml': file('api', 'two') }, 'synchronize');
    const list = await waitFor('the second preview', async () => {
      const r = (await (await server.api('/api/v1/previews')).json()) as {
        previews: { id: string; title?: string; report: { revision: string; apps: { app: string }[] } }[];
      };
      return r.previews[0]?.report.revision === second ? r.previews : undefined;
    });
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toBe('Bump web');
    expect(list[0]?.report.apps.map((a) => a.app)).toEqual(['api', 'web']);

    const missing = await server.api(`/api/v1/previews/${encodeURIComponent('github:acme/deploy#99')}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no preview github:acme\/deploy#99/);
  });
});
