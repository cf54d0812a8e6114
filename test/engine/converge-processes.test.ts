import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kill } from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, silentLogger } from '../../src/core/index.js';
import { createProcessDriver, processDriverKinds } from '../../src/drivers/process/index.js';
import { fastOptions, REPLICA } from '../drivers/process/support.js';
import { startHarness } from '../support/engine-harness.js';
import { freePortPrefix } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The GitOps loop end to end with real git and real processes: deploy, roll, prune, heal, and
 * one app's failures never touching another's.
 */
const tmp = tempDirs();

const SERVER = `
import { createServer } from 'node:http';
const port = Number(process.env.PORT_PREFIX + process.env.WHEELHOUSE_REPLICA);
createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : JSON.stringify({ greeting: process.env.GREETING, pid: process.pid })))
  .listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const web = (prefix: string, greeting: string, replicas = 2) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "server.mjs"]
  cwd: services/web
  replicas: ${replicas}
  env: { PORT_PREFIX: "${prefix}", GREETING: "${greeting}" }
  health:
    http: { url: "http://127.0.0.1:${prefix}${REPLICA}/healthz" }
    periodSeconds: 1
`;

const file = (name: string, path: string, content: string) => `apiVersion: wheelhouse/v1
kind: File
metadata: { name: ${name} }
spec: { path: ${path}, content: ${JSON.stringify(content)} }
`;

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
  - name: docs
    path: apps/docs
    environment: dev
`;

async function ask(prefix: string, replica: number): Promise<{ greeting: string; pid: number } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${prefix}${replica}/`, { signal: AbortSignal.timeout(5_000) });
    return (await res.json()) as { greeting: string; pid: number };
  } catch {
    return undefined;
  }
}

describe('converging real processes from git', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let prefix: string;
  let root: string;
  let driver: Driver | undefined;

  beforeAll(async () => {
    prefix = await freePortPrefix();
    root = await tmp('files');
    const stateDir = await tmp('state');
    driver = createProcessDriver({
      target: 'local',
      options: { root, ...fastOptions },
      stateDir,
      log: silentLogger,
      env: process.env,
    });
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'services/web/server.mjs': SERVER,
        'apps/web/web.yaml': web(prefix, 'hello'),
        'apps/web/motd.yaml': file('motd', 'web/motd.txt', 'managed by git\n'),
        'apps/docs/readme.yaml': file('readme', 'docs/README', 'docs v1\n'),
      },
      driver,
      kinds: processDriverKinds,
    });
  });

  afterAll(async () => {
    await h?.close();
    // The engine leaves workloads running by design; this suite stops the ones it started.
    await driver?.start();
    await driver?.teardown?.();
    await driver?.stop();
  });

  it('deploys every app: processes answer and files are in place', async () => {
    expect(h.engine.status('web')).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
    expect((await ask(prefix, 0))?.greeting).toBe('hello');
    expect((await ask(prefix, 1))?.greeting).toBe('hello');
    expect(await readFile(join(root, 'web/motd.txt'), 'utf8')).toBe('managed by git\n');
    expect(await readFile(join(root, 'docs/README'), 'utf8')).toBe('docs v1\n');
  });

  it('rolls replicas one at a time when the env changes, always keeping one answering', async () => {
    const before = [await ask(prefix, 0), await ask(prefix, 1)].map((r) => r?.pid);
    await h.commit({ 'apps/web/web.yaml': web(prefix, 'bonjour') }, 'French greeting');
    let rolling = true;
    const samples: number[] = [];
    const sampler = (async () => {
      while (rolling) {
        const answers = await Promise.all([ask(prefix, 0), ask(prefix, 1)]);
        samples.push(answers.filter(Boolean).length);
      }
    })();
    await h.refresh('web');
    rolling = false;
    await sampler;
    const after = [await ask(prefix, 0), await ask(prefix, 1)];
    expect(after.map((r) => r?.greeting)).toEqual(['bonjour', 'bonjour']);
    expect(after[0]?.pid).not.toBe(before[0]);
    expect(after[1]?.pid).not.toBe(before[1]);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((answering) => answering >= 1)).toBe(true);
    const [last] = await h.engine.history('web');
    expect(last?.changeSet.find((c) => c.name === 'web')?.fields.map((f) => f.path)).toEqual([
      'spec.env.GREETING',
    ]);
  });

  it('rolls the processes when only the code in their cwd changes, and not for commits elsewhere', async () => {
    const before = [await ask(prefix, 0), await ask(prefix, 1)];
    const syncs = (await h.engine.history('web')).length;
    await h.commit({ 'NOTES.md': 'nothing the apps run from\n' }, 'notes');
    await h.refresh('web');
    expect((await h.engine.history('web')).length).toBe(syncs);
    expect((await ask(prefix, 0))?.pid).toBe(before[0]?.pid);

    const louder = SERVER.replace('greeting: process.env.GREETING', "greeting: process.env.GREETING + '!'");
    await h.commit({ 'services/web/server.mjs': louder }, 'louder greeting, code only');
    await h.refresh('web');
    const after = [await ask(prefix, 0), await ask(prefix, 1)];
    expect(after.map((r) => r?.greeting)).toEqual(['bonjour!', 'bonjour!']);
    expect(after[0]?.pid).not.toBe(before[0]?.pid);
    expect(after[1]?.pid).not.toBe(before[1]?.pid);
    const [last] = await h.engine.history('web');
    expect(last?.trigger).toBe('auto');
    expect(last?.changeSet.find((c) => c.name === 'web')?.fields.map((f) => f.path)).toEqual([
      'spec.sourceTrees["services/web"]',
    ]);
  });

  it('heals a process killed by hand', async () => {
    const victim = await ask(prefix, 0);
    expect(victim).toBeDefined();
    kill(victim?.pid ?? 0, 'SIGKILL');
    const healed = await waitFor('replica 0 to answer again from a new process', async () => {
      const answer = await ask(prefix, 0);
      return answer && answer.pid !== victim?.pid ? answer : undefined;
    });
    expect(healed.greeting).toBe('bonjour!');
  });

  it('heals a file edited by hand', async () => {
    await writeFile(join(root, 'web/motd.txt'), 'edited on the box\n');
    await h.refresh('web');
    await waitFor(
      'motd to be restored',
      async () => (await readFile(join(root, 'web/motd.txt'), 'utf8')) === 'managed by git\n',
    );
    const heal = (await h.engine.history('web')).find((r) => r.trigger === 'self-heal');
    expect(heal?.changeSet.map((c) => [c.name, c.action])).toContainEqual(['motd', 'configured']);
  });

  it('prunes what a deleted manifest declared', async () => {
    await h.commit({ 'apps/web/motd.yaml': null }, 'no more motd');
    await h.refresh('web');
    await expect(readFile(join(root, 'web/motd.txt'), 'utf8')).rejects.toThrow(/ENOENT/);
    const [last] = await h.engine.history('web');
    expect(last?.changeSet.map((c) => [c.name, c.action])).toEqual([['motd', 'deleted']]);
    expect((await ask(prefix, 0))?.greeting).toBe('bonjour!');
  });

  it('keeps an app with bad YAML on its last good state while another app syncs', async () => {
    await h.commit(
      {
        'apps/web/web.yaml': `${web(prefix, 'hola')}  bad: [unclosed\n`,
        'apps/docs/readme.yaml': file('readme', 'docs/README', 'docs v2\n'),
      },
      'break web, update docs',
    );
    await h.refresh('web');
    expect(await readFile(join(root, 'docs/README'), 'utf8')).toBe('docs v2\n');
    const status = h.engine.status('web');
    expect(status.lastError?.code).toBe('RENDER_FAILED');
    expect(status.lastError?.message).toMatch(/apps\/web\/web\.yaml:\d+:\d+/);
    expect((await ask(prefix, 0))?.greeting).toBe('bonjour!');
    expect(status.health.status).toBe('Healthy');
  });

  it('fails a sync whose PreSync Job fails, with its log tail, and changes nothing else', async () => {
    const job = `apiVersion: wheelhouse/v1
kind: Job
metadata: { name: migrate }
spec:
  command: ["node", "-e", "console.log('migrating schema'); console.error('migration 42 failed: table locked'); process.exit(3)"]
  phase: PreSync
`;
    await h.commit(
      { 'apps/web/web.yaml': web(prefix, 'ciao'), 'apps/web/migrate.yaml': job },
      'migrate and greet',
    );
    await h.refresh('web');
    const [last] = await h.engine.history('web');
    expect(last?.result).toBe('failed');
    expect(last?.messages.join('\n')).toContain('migration 42 failed: table locked');
    expect((await ask(prefix, 0))?.greeting).toBe('bonjour!');
    expect((await ask(prefix, 1))?.greeting).toBe('bonjour!');
    expect(h.engine.status('web').syncStatus).toBe('OutOfSync');
  });
});
