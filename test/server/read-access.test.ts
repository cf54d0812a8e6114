import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from '../../src/server/index.js';
import { imageRoutes } from '../../src/server/routes/images.js';
import { hashToken, newToken } from '../../src/util/index.js';
import { apiServers, nextEvent, sseReader, type TestServer } from '../support/api-server.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { fakeWebBuild } from '../support/dashboard.js';
import { tempDirs } from '../support/tmp.js';

const file = (name: string) => `apiVersion: wheelhouse/v1
kind: File
metadata: { name: ${name} }
spec:
  path: ${name}/motd.txt
  content: "hello"
`;

// Security review, issue 12 item 2: with `defaultRole: none`, an unbound user was refused in chat
// but got 200 with data from every read route of the API.
const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
  - name: api
    path: apps/api
    environment: prod
access:
  bindings:
    - { subjects: ["web:alice"], role: viewer, apps: ["web"] }
  defaultRole: none
`;

type Json = Record<string, unknown>;

describe('read routes follow the access policy (real git, real engine, real HTTP)', () => {
  const tmp = tempDirs();
  const start = apiServers();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const as = (user: string, path: string) =>
    server.api(path, { headers: { authorization: `Bearer ${tokens[user]}` } });

  beforeAll(async () => {
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/motd.yaml': file('web'),
      'apps/api/motd.yaml': file('api'),
    });
    const { root } = await fakeWebBuild(await tmp('web'));
    server = await start({
      engine: stack.engine,
      store: stack.store,
      source: stack.source,
      controlRepo: { url: stack.control },
      dashboard: { webRoot: root },
      plugins: {
        api: [
          (app) => stack.chatops.routes((request) => principalOf(request).user)(app),
          imageRoutes(
            () =>
              ['web', 'api'].map((app) => ({
                app,
                image: `registry.test/${app}`,
                rule: 'semver ^1',
                state: 'up-to-date' as const,
                message: 'newest',
              })),
            { config: () => stack.engine.config(), engine: stack.engine },
          ),
        ],
      },
    });
    for (const user of ['alice', 'mallory']) {
      tokens[user] = newToken();
      await stack.store.createUser(user, hashToken(tokens[user] ?? ''));
    }
    await stack.say('admin', 'lock api release freeze'); // an audit entry about api
    await stack.say('admin', 'lock web release freeze'); // and one about web
  });

  afterAll(async () => {
    await stack?.close();
  });

  const perApp = (app: string) => [
    `/api/v1/apps/${app}`,
    `/api/v1/apps/${app}/diff`,
    `/api/v1/apps/${app}/history`,
    `/api/v1/apps/${app}/commits`,
    `/api/v1/apps/${app}/resources/${app}/logs`,
    `/api/v1/apps/${app}/resources/${app}/logs?follow=1`,
    `/api/v1/audit?app=${app}`,
    `/api/v1/timeline?app=${app}`,
    `/api/v1/events?app=${app}`,
    `/api/v1/approvals?app=${app}`,
  ];

  it('refuses an unbound user every per-app read with 403 naming the app and the binding to add (was 200 with data)', async () => {
    for (const path of perApp('web')) {
      const response = await as('mallory', path);
      expect(response.status, path).toBe(403);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('FORBIDDEN');
      expect(body.error.message).toMatch(
        /cannot read app web: api:mallory lacks the read permission on app web/,
      );
      expect(body.error.message).toMatch(/held by web:alice, admin/);
      expect(body.error.message).toMatch(/access\.bindings in wheelhouse\.yaml/);
      expect(body.error.message).toContain(
        'such as `{ subjects: ["api:mallory"], role: viewer, apps: ["web"] }`',
      );
    }
  });

  it('gives an unbound user empty lists and refuses the audit verification', async () => {
    expect(((await (await as('mallory', '/api/v1/apps')).json()) as Json).apps).toEqual([]);
    expect(((await (await as('mallory', '/api/v1/audit')).json()) as Json).entries).toEqual([]);
    expect(((await (await as('mallory', '/api/v1/timeline')).json()) as Json).items).toEqual([]);
    expect(((await (await as('mallory', '/api/v1/approvals')).json()) as Json).approvals).toEqual([]);
    expect((await as('mallory', '/api/v1/audit/verify')).status).toBe(403);
  });

  it('lets a user bound to one app read that app alone: lists filtered, 403 for the other', async () => {
    const apps = ((await (await as('alice', '/api/v1/apps')).json()) as { apps: Json[] }).apps;
    expect(apps.map((a) => a.name)).toEqual(['web']);
    const images = ((await (await as('alice', '/api/v1/images')).json()) as { images: Json[] }).images;
    expect(images.map((i) => i.app)).toEqual(['web']);
    expect(((await (await as('mallory', '/api/v1/images')).json()) as { images: Json[] }).images).toEqual([]);
    for (const path of perApp('web').filter((p) => !p.includes('logs') && !p.includes('events'))) {
      expect((await as('alice', path)).status, path).toBe(200);
    }
    for (const path of perApp('api')) {
      const response = await as('alice', path);
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /cannot read app api: api:alice lacks the read permission on app api \(environment prod\)/,
      );
    }
    const audit = ((await (await as('alice', '/api/v1/audit')).json()) as { entries: Json[] }).entries;
    expect(audit.some((e) => e.app === 'web')).toBe(true);
    expect(audit.filter((e) => e.app === 'api')).toEqual([]);
    const items = ((await (await as('alice', '/api/v1/timeline')).json()) as { items: Json[] }).items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      if (item.app !== undefined) expect(item.app).toBe('web');
      if (Array.isArray(item.apps)) expect(item.apps).not.toContain('api');
    }
    // The admin token still reads everything.
    const all = ((await (await server.api('/api/v1/apps')).json()) as { apps: Json[] }).apps;
    expect(all.map((a) => a.name).sort()).toEqual(['api', 'web']);
  });

  it('does not send events about apps the user may not read on /events', async () => {
    const response = await as('alice', '/api/v1/events');
    expect(response.status).toBe(200);
    // The stream subscribes before its headers go out, so everything published from here on counts.
    const reader = sseReader(response);
    const events = stack.engine.events;
    events.publish({
      type: 'approval.decided',
      approvalId: 'x1',
      app: 'api',
      status: 'denied',
      actor: 'admin',
    });
    events.publish({
      type: 'source.updated',
      repo: stack.control,
      revision: 'a'.repeat(40),
      apps: ['api', 'web'],
    });
    events.publish({
      type: 'approval.decided',
      approvalId: 'x2',
      app: 'web',
      status: 'denied',
      actor: 'admin',
    });
    const first = await nextEvent(reader);
    expect(first.event).toBe('source.updated');
    expect((JSON.parse(first.data) as { apps: string[] }).apps).toEqual(['web']);
    const second = await nextEvent(reader);
    expect(second.event).toBe('approval.decided');
    expect((JSON.parse(second.data) as { approvalId: string }).approvalId).toBe('x2');
    await reader.cancel();
  });
});
