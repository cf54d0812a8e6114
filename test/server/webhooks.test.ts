import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/core/index.js';
import { normalizeRepoUrl } from '../../src/source/git/index.js';
import { apiServers, type TestServer } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig, type FakeEngine } from '../support/fake-engine.js';
import { sqliteStores, type TestStore } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();
const require = createRequire(import.meta.url);

interface OctokitDefinition {
  name: string;
  examples: unknown[];
}
const octokit = require('@octokit/webhooks-examples') as OctokitDefinition[];
function example(name: string): unknown {
  const found = octokit.find((d) => d.name === name)?.examples[0];
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${name}`);
  return found;
}
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/webhooks/${name}`, import.meta.url), 'utf8');
}
const hmac = (secret: string, body: string | Buffer) =>
  createHmac('sha256', secret).update(body).digest('hex');

interface ProviderCase {
  provider: string;
  env: string;
  secret: string;
  /** The real push payload (raw text as the host sends it). */
  push: string;
  /** The repo name inside `push`, to retarget it to an unknown repository. */
  repoText: string;
  app: AppStatus;
  headers(body: string | Buffer, secret: string, delivery: string): Record<string, string>;
  /** The header that carries the signature or token. */
  signatureHeader: string;
  revision: string;
}

const cases: ProviderCase[] = [
  {
    provider: 'github',
    env: 'GH_HOOK_SECRET',
    secret: 'gh-secret-0123456789',
    push: JSON.stringify(example('push')),
    repoText: 'Codertocat/Hello-World',
    // scp-style source vs the payload's https clone URL: still the same repository
    app: appStatus('hello', {
      source: { repo: 'git@GitHub.com:Codertocat/Hello-World.git', ref: 'main', path: 'apps/hello' },
    }),
    headers: (body, secret, delivery) => ({
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${hmac(secret, body)}`,
    }),
    signatureHeader: 'x-hub-signature-256',
    revision: (example('push') as { after: string }).after,
  },
  {
    provider: 'gitlab',
    env: 'GITLAB_HOOK_SECRET',
    secret: 'gl-secret-0123456789',
    push: fixture('gitlab-push.json'),
    repoText: 'mike/diaspora',
    app: appStatus('diaspora', {
      source: { repo: 'https://example.com/mike/diaspora', ref: 'master', path: '.' },
    }),
    headers: (_body, secret, delivery) => ({
      'content-type': 'application/json',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-event-uuid': delivery,
      'x-gitlab-token': secret,
    }),
    signatureHeader: 'x-gitlab-token',
    revision: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
  },
  {
    provider: 'gitea',
    env: 'GITEA_HOOK_SECRET',
    secret: 'gt-secret-0123456789',
    push: fixture('gitea-push.json'),
    repoText: 'gitea/webhooks',
    app: appStatus('gitea-app', {
      source: { repo: 'ssh://gitea@localhost:2222/gitea/webhooks.git', ref: 'develop', path: 'deploy' },
    }),
    headers: (body, secret, delivery) => ({
      'content-type': 'application/json',
      'x-gitea-event': 'push',
      'x-gitea-delivery': delivery,
      'x-gitea-signature': hmac(secret, body),
    }),
    signatureHeader: 'x-gitea-signature',
    revision: 'bffeb74224043ba2feb48d137756c8a9331c449a',
  },
  {
    provider: 'bitbucket',
    env: 'BB_HOOK_SECRET',
    secret: 'bb-secret-0123456789',
    push: fixture('bitbucket-push.json'),
    repoText: 'team_name/repo_name',
    app: appStatus('bb', {
      source: { repo: 'git@bitbucket.org:team_name/repo_name.git', ref: 'main', path: '.' },
    }),
    headers: (body, secret, delivery) => ({
      'content-type': 'application/json',
      'x-event-key': 'repo:push',
      'x-request-uuid': delivery,
      'x-hub-signature': `sha256=${hmac(secret, body)}`,
    }),
    signatureHeader: 'x-hub-signature',
    revision: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
  },
  {
    provider: 'generic',
    env: 'GENERIC_HOOK_SECRET',
    secret: 'gen-secret-0123456789',
    push: fixture('generic-push.json'),
    repoText: 'ops/deploy',
    app: appStatus('deploy', {
      source: { repo: 'https://git.example.test/ops/deploy.git', ref: 'main', path: '.' },
    }),
    headers: (body, secret, delivery) => ({
      'content-type': 'application/json',
      'x-event': 'push',
      'x-delivery-id': delivery,
      'x-signature': `sha256=${hmac(secret, body)}`,
    }),
    signatureHeader: 'x-signature',
    revision: '0123456789abcdef0123456789abcdef01234567',
  },
];

const env = Object.fromEntries(cases.map((c) => [c.env, c.secret]));
const webhooks = Object.fromEntries(cases.map((c) => [c.provider, { secretEnv: c.env }]));

async function hookServer(
  options: Parameters<typeof start>[1] = {},
): Promise<{ server: TestServer; engine: FakeEngine; store: TestStore }> {
  const engine = createFakeEngine({ config: emptyConfig({ webhooks }), apps: cases.map((c) => c.app) });
  const store = await createStore();
  const server = await start({ engine, store, env }, options);
  return { server, engine, store };
}

function deliver(server: TestServer, provider: string, body: string, headers: Record<string, string>) {
  return fetch(`${server.url}/hooks/${provider}`, { method: 'POST', headers, body });
}

type Json = Record<string, unknown>;

function refreshes(engine: FakeEngine): unknown[] {
  return engine.calls.filter((c) => c.method === 'refreshRepo').map((c) => c.args);
}

describe.each(cases)('POST /hooks/$provider', (c) => {
  it('accepts a signed push, refreshes the apps on that repo, audits, and ignores a repeated delivery', async () => {
    const { server, engine, store } = await hookServer();
    const delivery = randomUUID();
    const response = await deliver(server, c.provider, c.push, c.headers(c.push, c.secret, delivery));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'accepted', delivery, apps: [c.app.name] });
    expect(refreshes(engine)).toContain(c.app.source.repo);
    // one refresh per mirror: URL forms of one repository are not fetched twice
    const mirrors = refreshes(engine).map((url) => normalizeRepoUrl(String(url)));
    expect(new Set(mirrors).size).toBe(mirrors.length);
    const [entry] = await store.listAudit();
    expect(entry).toMatchObject({
      actor: `webhook:${c.provider}`,
      action: 'webhook.push',
      app: c.app.name,
      details: { revision: c.revision, delivery },
    });

    const before = refreshes(engine).length;
    const again = await deliver(server, c.provider, c.push, c.headers(c.push, c.secret, delivery));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', delivery });
    expect(refreshes(engine)).toHaveLength(before);
    expect(await store.listAudit()).toHaveLength(1);
  });

  // Security review, issue 12 item 18: a captured delivery sent again under a new delivery id
  // was accepted (delivery ids are not signed by any host).
  it('does not process a captured delivery replayed under a new delivery id', async () => {
    const { server, engine, store } = await hookServer();
    const first = await deliver(server, c.provider, c.push, c.headers(c.push, c.secret, randomUUID()));
    expect(first.status).toBe(202);
    const before = refreshes(engine).length;
    const replayed = randomUUID();
    const again = await deliver(server, c.provider, c.push, c.headers(c.push, c.secret, replayed));
    expect(again.status).toBe(200);
    const body = (await again.json()) as Json;
    expect(body).toMatchObject({ status: 'replay', delivery: replayed });
    expect(body.note).toMatch(/same signed body was delivered before/);
    expect(refreshes(engine)).toHaveLength(before);
    expect(await store.listAudit()).toHaveLength(1);
  });

  it('refuses a forged signature, a wrong secret and a missing header, without refreshing', async () => {
    const { server, engine } = await hookServer();
    const tampered = c.push.replace(c.revision, 'f'.repeat(40));
    const forged = c.headers(c.push, c.secret, randomUUID());
    const attempts: [string, string, Record<string, string>][] = [
      // signed for another body (for GitLab's token scheme: a made-up token)
      [
        'forged',
        tampered,
        c.provider === 'gitlab' ? { ...forged, 'x-gitlab-token': 'made-up-token' } : forged,
      ],
      ['wrong secret', c.push, c.headers(c.push, 'not-the-secret', randomUUID())],
      ['missing header', c.push, withoutHeader(c.headers(c.push, c.secret, randomUUID()), c.signatureHeader)],
    ];
    for (const [label, body, headers] of attempts) {
      const response = await deliver(server, c.provider, body, headers);
      expect(response.status, label).toBe(401);
      const error = ((await response.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message, label).toMatch(label === 'missing header' ? /missing/ : /does not match/);
      expect(error.message).not.toContain(c.secret);
    }
    expect(refreshes(engine)).toEqual([]);
  });

  it('answers an oversized body with 413 and a malformed one with 400', async () => {
    const { server, engine } = await hookServer();
    const big = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) });
    const tooLarge = await deliver(server, c.provider, big, c.headers(big, c.secret, randomUUID()));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({
      error: { code: 'INPUT_REFUSED', message: expect.stringMatching(/too large/) },
    });

    const broken = c.push.slice(0, -5);
    const malformed = await deliver(server, c.provider, broken, c.headers(broken, c.secret, randomUUID()));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/malformed/) },
    });
    expect(refreshes(engine)).toEqual([]);
  });

  it('answers a push for a repository no app follows with 202 and a note', async () => {
    const { server, engine, store } = await hookServer();
    const other = c.push.replaceAll(c.repoText, 'someone/unrelated');
    const response = await deliver(server, c.provider, other, c.headers(other, c.secret, randomUUID()));
    expect(response.status).toBe(202);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ status: 'unknown-repo', apps: [] });
    expect(body.note).toMatch(/no app follows .*someone\/unrelated/);
    expect(refreshes(engine)).not.toContain(c.app.source.repo);
    expect(await store.listAudit()).toEqual([]);
  });

  it('refuses every delivery when no secret is configured or its env var is unset', async () => {
    const engine = createFakeEngine({ config: emptyConfig({ webhooks: {} }), apps: [c.app] });
    const server = await start({ engine, store: await createStore(), env });
    const headers = c.headers(c.push, c.secret, randomUUID());
    const unconfigured = await deliver(server, c.provider, c.push, headers);
    expect(unconfigured.status).toBe(403);
    expect(await unconfigured.json()).toMatchObject({
      error: {
        code: 'FORBIDDEN',
        message: expect.stringContaining(`webhooks: { ${c.provider}: { secretEnv:`),
      },
    });

    engine.setConfig(emptyConfig({ webhooks: { [c.provider]: { secretEnv: 'UNSET_VARIABLE' } } }));
    const unset = await deliver(server, c.provider, c.push, headers);
    expect(unset.status).toBe(403);
    expect(await unset.json()).toMatchObject({
      error: { message: expect.stringContaining('UNSET_VARIABLE') },
    });
    expect(refreshes(engine)).toEqual([]);
  });
});

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = headers;
  return rest;
}

describe('webhook events other than push', () => {
  const gh = cases[0] as ProviderCase;

  it('answers GitHub ping with 200 and ignores other GitHub events with 202', async () => {
    const { server, engine } = await hookServer();
    const ping = JSON.stringify(example('ping'));
    const pong = await deliver(server, 'github', ping, {
      ...gh.headers(ping, gh.secret, randomUUID()),
      'x-github-event': 'ping',
    });
    expect(pong.status).toBe(200);
    expect(await pong.json()).toMatchObject({ status: 'pong', event: 'ping' });

    const issue = JSON.stringify(example('issues'));
    const ignored = await deliver(server, 'github', issue, {
      ...gh.headers(issue, gh.secret, randomUUID()),
      'x-github-event': 'issues',
    });
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toMatchObject({ status: 'ignored', event: 'issues' });
    expect(refreshes(engine)).toEqual([]);
  });

  it('reads GitHub form-encoded deliveries (signature over the encoded body)', async () => {
    const { server } = await hookServer();
    const form = new URLSearchParams({ payload: gh.push }).toString();
    const response = await deliver(server, 'github', form, {
      ...gh.headers(form, gh.secret, randomUUID()),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'accepted', apps: ['hello'] });
  });

  it('ignores a GitLab issue event and answers a Bitbucket diagnostics ping', async () => {
    const { server } = await hookServer();
    const gl = cases[1] as ProviderCase;
    const issue = fixture('gitlab-issue.json');
    const ignored = await deliver(server, 'gitlab', issue, {
      ...gl.headers(issue, gl.secret, randomUUID()),
      'x-gitlab-event': 'Issue Hook',
    });
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toMatchObject({ status: 'ignored' });

    const bb = cases[3] as ProviderCase;
    const ping = fixture('bitbucket-ping.json');
    const pong = await deliver(server, 'bitbucket', ping, {
      ...bb.headers(ping, bb.secret, randomUUID()),
      'x-event-key': 'diagnostics:ping',
    });
    expect(pong.status).toBe(200);
    expect(await pong.json()).toMatchObject({ status: 'pong' });
  });
});

describe('generic webhooks with a signed timestamp', () => {
  const generic = cases.find((c) => c.provider === 'generic') as ProviderCase;
  const clock = { nowMs: Date.parse('2026-01-01T12:00:00Z') };
  const stamped = (body: string, stamp: string, signedStamp = stamp) => ({
    ...generic.headers(body, generic.secret, randomUUID()),
    'x-signature-timestamp': stamp,
    'x-signature': `sha256=${hmac(generic.secret, `${signedStamp}.${body}`)}`,
  });
  const seconds = () => String(Math.floor(clock.nowMs / 1000));

  it('accepts a fresh signed timestamp and refuses a stale one, a future one and a re-signed stamp', async () => {
    const { server, engine } = await hookServer({ webhooks: { now: () => clock.nowMs } });
    const fresh = await deliver(server, 'generic', generic.push, stamped(generic.push, seconds()));
    expect(fresh.status).toBe(202);
    expect(await fresh.json()).toMatchObject({ status: 'accepted' });

    // The same bytes an hour later (captured and replayed): too old, whatever the delivery id.
    const captured = stamped(generic.push, seconds());
    clock.nowMs += 3600_000;
    const late = await deliver(server, 'generic', generic.push, captured);
    expect(late.status).toBe(401);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(
      /X-Signature-Timestamp is 3600 s away from the server's clock, more than the 300 s/,
    );

    const ahead = String(Math.floor(clock.nowMs / 1000) + 3600);
    expect((await deliver(server, 'generic', generic.push, stamped(generic.push, ahead))).status).toBe(401);

    // A fresh stamp on a signature made for an old one: the signature covers the stamp.
    const forged = stamped(generic.push, seconds(), '1700000000');
    const refused = await deliver(server, 'generic', generic.push, forged);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /does not match/,
    );
    expect(refreshes(engine)).toHaveLength(1);
  });
});

describe('webhook limits and metrics', () => {
  const gh = cases[0] as ProviderCase;

  it('rate-limits deliveries per provider and source with 429 and Retry-After', async () => {
    const { server } = await hookServer({ webhooks: { rateLimit: { perMinute: 1, burst: 2 } } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const body = `${gh.push}${' '.repeat(i)}`; // another delivery, not a replay of the same bytes
      const response = await deliver(server, 'github', body, gh.headers(body, gh.secret, randomUUID()));
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // another provider has its own bucket
    const gl = cases[1] as ProviderCase;
    expect(
      (await deliver(server, 'gitlab', gl.push, gl.headers(gl.push, gl.secret, randomUUID()))).status,
    ).toBe(202);
  });

  it('honours a smaller configured body limit', async () => {
    const { server } = await hookServer({ webhooks: { bodyLimit: 1024 } });
    const response = await deliver(server, 'github', gh.push, gh.headers(gh.push, gh.secret, randomUUID()));
    expect(gh.push.length).toBeGreaterThan(1024);
    expect(response.status).toBe(413);
  });

  it('counts deliveries by provider and outcome', async () => {
    const { server } = await hookServer();
    await deliver(server, 'github', gh.push, gh.headers(gh.push, gh.secret, randomUUID()));
    await deliver(server, 'github', gh.push, gh.headers(gh.push, 'wrong', randomUUID()));
    await deliver(server, 'github', 'x'.repeat(1024 * 1024 + 1), gh.headers('x', gh.secret, randomUUID()));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/wheelhouse_webhook_requests_total\{provider="github",outcome="accepted"\} 1/);
    expect(metrics).toMatch(
      /wheelhouse_webhook_requests_total\{provider="github",outcome="unauthorized"\} 1/,
    );
    expect(metrics).toMatch(/wheelhouse_webhook_requests_total\{provider="github",outcome="too_large"\} 1/);
  });
});
