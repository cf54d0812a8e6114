import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personFilter } from '../../src/server/index.js';
import { hashToken, newToken } from '../../src/util/index.js';
import { apiServers, type TestServer } from '../support/api-server.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { fakeWebBuild, signInAs } from '../support/dashboard.js';
import { tempDirs } from '../support/tmp.js';

const file = (name: string, content: string) => `apiVersion: wheelhouse/v1
kind: File
metadata: { name: ${name} }
spec:
  path: ${name}/motd.txt
  content: "${content}"
`;

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
  - name: api
    path: apps/api
    environment: dev
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice", "slack:U123"] }
access:
  bindings:
    - { subjects: ["Alice"], role: deployer }
  defaultRole: viewer
`;

interface Item {
  kind: string;
  app?: string;
  apps?: string[];
  actor?: string;
  subject?: string;
  sha?: string;
  action?: string;
  decision?: string;
  author?: string;
}

describe('timeline, commits and commit subjects over HTTP (real git, real engine)', () => {
  const tmp = tempDirs();
  const start = apiServers();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let server: TestServer;
  let webCommit: string;
  let apiCommit: string;

  beforeAll(async () => {
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/motd.yaml': file('web', 'hello'),
      'apps/api/motd.yaml': file('api', 'hello'),
    });
    const { root } = await fakeWebBuild(await tmp('web'));
    server = await start({
      engine: stack.engine,
      store: stack.store,
      source: stack.source,
      controlRepo: { url: stack.control },
      dashboard: { webRoot: root },
    });
    webCommit = await stack.pushFromOutside(
      { 'apps/web/motd.yaml': file('web', 'hello again') },
      'Web says hello again',
    );
    apiCommit = await stack.pushFromOutside({ 'apps/api/motd.yaml': file('api', 'hi') }, 'Api says hi');
    await stack.say('alice', 'lock web investigating');
    await stack.say('alice', 'unlock web');
    await stack.say('carol', 'lock api not allowed'); // carol is a viewer: refused
    await stack.settle();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const timeline = async (query = '') => {
    const response = await server.api(`/api/v1/timeline${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Item[] }).items;
  };

  it('fills commitSubject of the revision each app runs', async () => {
    const body = (await (await server.api('/api/v1/apps')).json()) as {
      apps: { name: string; revision?: string; commitSubject?: string }[];
    };
    const api = body.apps.find((a) => a.name === 'api');
    expect(api?.revision).toBe(apiCommit);
    expect(api?.commitSubject).toBe('Api says hi');
    // web's tree did not change with the api commit: it still runs (and shows) its own commit.
    const one = (await (await server.api('/api/v1/apps/web')).json()) as {
      revision?: string;
      commitSubject?: string;
    };
    expect(one.revision).toBe(webCommit);
    expect(one.commitSubject).toBe('Web says hello again');
  });

  it('lists the commits that changed one app’s path', async () => {
    const response = await server.api('/api/v1/apps/web/commits');
    expect(response.status).toBe(200);
    const { commits } = (await response.json()) as {
      commits: { sha: string; subject: string; apps: string[] }[];
    };
    const subjects = commits.map((c) => c.subject);
    expect(subjects).toContain('Web says hello again');
    expect(subjects).not.toContain('Api says hi');
    expect(commits.find((c) => c.sha === webCommit)?.apps).toEqual(['web']);
    expect((await server.api('/api/v1/apps/wbe/commits')).status).toBe(404);
  });

  it('merges commits (with the apps they changed), syncs, commands and refusals, newest first', async () => {
    const items = await timeline();
    const kinds = new Set(items.map((i) => i.kind));
    for (const kind of ['commit', 'sync', 'command', 'refusal']) expect(kinds, kind).toContain(kind);
    const at = items.map((i) => Date.parse((i as { at?: string }).at ?? ''));
    expect([...at].sort((a, b) => b - a)).toEqual(at);
    expect(items.find((i) => i.sha === webCommit)?.apps).toEqual(['web']);
    expect(items.find((i) => i.sha === apiCommit)?.apps).toEqual(['api']);
    const refusal = items.find((i) => i.kind === 'refusal');
    expect(refusal).toMatchObject({ actor: 'web:carol', app: 'api', decision: 'refused' });
    expect(items.some((i) => i.kind === 'sync' && i.app === 'web')).toBe(true);
  });

  it('filters by app', async () => {
    const items = await timeline('?app=web');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      if (item.kind === 'commit') expect(item.apps).toEqual(['web']);
      else expect(item.app).toBe('web');
    }
    expect(items.some((i) => i.subject === 'Web says hello again')).toBe(true);
    expect((await server.api('/api/v1/timeline?app=wbe')).status).toBe(404);
  });

  it('filters by person, across all of their ids', async () => {
    // Alice by name, by email and by another of her ids: her chat commands all show, carol's do not.
    for (const person of ['Alice', 'alice@example.com', 'slack:U123', 'api:alice']) {
      const items = await timeline(`?person=${encodeURIComponent(person)}`);
      expect(items.length, person).toBeGreaterThan(0);
      expect(
        items.every((i) => i.actor === 'web:alice' || i.author === 'Alice'),
        person,
      ).toBe(true);
      expect(
        items.some((i) => i.action === 'command.lock'),
        person,
      ).toBe(true);
    }
    const carol = await timeline('?person=carol');
    expect(carol.map((i) => i.kind)).toEqual(expect.arrayContaining(['refusal']));
    expect(carol.every((i) => i.actor === 'web:carol')).toBe(true);
    // Commits match by author: the test's git helper authors the outside pushes.
    const someone = await timeline(`?person=${encodeURIComponent('author@example.test')}`);
    expect(someone.filter((i) => i.kind === 'commit').map((i) => i.sha)).toEqual(
      expect.arrayContaining([webCommit, apiCommit]),
    );
  });

  it('is readable with a dashboard session too', async () => {
    const token = newToken();
    await stack.store.createUser('alice', hashToken(token));
    const { cookie } = await signInAs(server.url, token);
    const response = await fetch(`${server.url}/api/v1/timeline?limit=5`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(5);
  });
});

describe('person filter', () => {
  const people = [{ name: 'Alice', email: 'alice@example.com', ids: ['web:alice', 'slack:U123'] }];
  it('expands a name, an email, an id or a token user to every id of the person', () => {
    for (const query of ['Alice', 'ALICE@example.com', 'slack:U123', 'cli:alice', 'alice']) {
      const filter = personFilter(query, people);
      expect(filter.matchesActor('api:alice'), query).toBe(true);
      expect(filter.matchesActor('slack:U123'), query).toBe(true);
      expect(filter.matchesActor('web:bob'), query).toBe(false);
    }
    const bob = personFilter('bob', people);
    expect(bob.matchesActor('web:bob')).toBe(true);
    expect(bob.matchesActor('web:alice')).toBe(false);
    const byTrailer = personFilter('Alice', people);
    expect(
      byTrailer.matchesCommit({
        authorName: 'Wheelhouse',
        authorEmail: 'x@y',
        trailers: { 'Wheelhouse-Actor': 'slack:U123' },
      }),
    ).toBe(true);
    expect(byTrailer.matchesCommit({ authorName: 'Bob', authorEmail: 'bob@example.com' })).toBe(false);
  });
});
