import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, IMMUTABLE } from '../../src/server/index.js';
import { apiServers } from '../support/api-server.js';
import { fakeWebBuild } from '../support/dashboard.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { tempDirs } from '../support/tmp.js';

const start = apiServers();
const createStore = sqliteStores();
const tmp = tempDirs();

async function serve(webRoot: string) {
  return start({
    engine: createFakeEngine({ apps: [appStatus('web')], config: emptyConfig() }),
    store: await createStore(),
    dashboard: { webRoot },
  });
}

/** Raw GET: fetch would normalize `..` in the path before sending it. */
async function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { request } = await import('node:http');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard’s static files', () => {
  it('serves index.html at / and for client routes, with no-cache and a strict CSP', async () => {
    const { root } = await fakeWebBuild(await tmp('web'));
    const server = await serve(root);
    for (const path of ['/', '/apps/web', '/activity', '/rooms/ops', '/approvals?status=pending']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(await response.text()).toContain('<div id="root">');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('serves hashed assets with a year-long immutable cache and revalidates by ETag', async () => {
    const { root, asset } = await fakeWebBuild(await tmp('web'));
    const server = await serve(root);
    const response = await fetch(`${server.url}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('dashboard');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${server.url}${asset}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers 404 for missing assets, API paths and files, never the page', async () => {
    const { root } = await fakeWebBuild(await tmp('web'));
    const server = await serve(root);
    for (const path of ['/assets/nope.js', '/api/v1/nope', '/hooks/github', '/favicon.ico', '/robots.txt']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });

  it('refuses path traversal, hidden files and symlinks out of the web root', async () => {
    const dir = await tmp('web');
    const { root } = await fakeWebBuild(dir);
    await writeFile(join(dir, 'secret.txt'), 'top secret\n');
    await writeFile(join(root, 'assets', '.env'), 'SECRET=1\n');
    await mkdir(join(root, 'assets', 'sub'), { recursive: true });
    await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'sub', 'link.txt'));
    const server = await serve(root);
    const attempts = [
      '/assets/../../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/.env',
      '/assets/sub/link.txt',
      '/assets/%00index-AbC123.js',
      '/assets//etc/passwd',
      '/../secret.txt',
    ];
    for (const path of attempts) {
      const { status, body } = await rawGet(server.url, path);
      expect(body, path).not.toContain('top secret');
      expect(body, path).not.toContain('SECRET=1');
      expect([400, 404], path).toContain(status);
    }
  });

  it('says how to build the dashboard when dist/web is missing', async () => {
    const server = await serve(join(await tmp('empty'), 'web'));
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('npm run build');
    // The API keeps working without it.
    expect((await server.api('/api/v1/apps')).status).toBe(200);
  });
});
