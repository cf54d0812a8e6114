import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/core/index.js';
import { createDockerDriver, dockerKinds } from '../../../src/drivers/docker/index.js';
import { composeRenderer } from '../../../src/render/compose/index.js';
import { renderers } from '../../../src/render/index.js';
import { dockerDeps } from '../../support/docker.js';
import { engineOn, startHarness } from '../../support/engine-harness.js';
import { type PodmanHost, podmanSkipReason, usePodman } from '../../support/podman.js';
import { shopConfig } from '../../support/podman-shop.js';
import { freePort } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The GitOps loop end to end on a Podman host: real git, the real engine, the docker driver.
 * Podman missing skips on a developer machine and fails in CI (support/podman.ts, missingComponent);
 * nothing else skips it: the compose renderer is part of Wheelhouse, so its absence fails below.
 */
const tmp = tempDirs();

const CONFIG = (host: string) => shopConfig(host);

/** A web server on `port` (host network) whose page is $GREETING, with a healthcheck. */
const webService = (image: string, port: number, greeting: string) => `  web:
    image: ${image}
    network_mode: host
    command: ["sh", "-c", "mkdir -p /tmp/www && echo \\"$$GREETING\\" > /tmp/www/index.html && exec httpd -f -p ${port} -h /tmp/www"]
    environment:
      GREETING: ${greeting}
    stop_signal: SIGKILL
    stop_grace_period: 1s
    depends_on:
      api: { condition: service_healthy }
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${port}/"]
      interval: 1s
`;

const backend = (image: string, apiEnv = 'v1') => `  api:
    image: ${image}
    command: ["sleep", "3600"]
    environment:
      VERSION: ${apiEnv}
    stop_signal: SIGKILL
    stop_grace_period: 1s
    depends_on: [cache]
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
  cache:
    image: ${image}
    command: ["sleep", "3600"]
    volumes: [cache:/data]
    stop_signal: SIGKILL
    stop_grace_period: 1s
`;

const compose = (image: string, port: number, greeting: string, extra = '') =>
  `services:\n${webService(image, port, greeting)}${backend(image)}${extra}volumes:\n  cache: {}\n`;

async function page(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
    return (await response.text()).trim();
  } catch {
    return undefined;
  }
}

async function containerIds(podman: PodmanHost): Promise<Record<string, string>> {
  const list = await podman.docker.listContainers({ all: true, filters: { label: ['wheelhouse.app=shop'] } });
  return Object.fromEntries(list.map((c) => [c.Labels['wheelhouse.resource']?.split('/')[3] ?? '?', c.Id]));
}

it('renders Compose apps (the scenarios below need the compose renderer)', () => {
  expect(renderers).toContain(composeRenderer);
});

describe.skipIf(podmanSkipReason !== undefined)(
  'docker driver through the engine: a Compose app on Podman',
  () => {
    const podman = usePodman();
    let h: Awaited<ReturnType<typeof startHarness>>;
    let driver: Driver;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      driver = createDockerDriver(dockerDeps(podman()));
      h = await startHarness(tmp, {
        files: {
          'wheelhouse.yaml': CONFIG(podman().host),
          'apps/shop/compose.yaml': compose(podman().image, port, 'hello'),
        },
        driver,
        driverName: 'docker',
        kinds: dockerKinds,
      });
    }, 180_000);

    afterAll(async () => {
      await h?.close();
    });

    it('converges three services in depends_on order', async () => {
      expect(h.engine.status('shop')).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
      expect(await page(port)).toBe('hello');
      const [first] = await h.engine.history('shop');
      expect(first?.result).toBe('succeeded');
      expect(first?.changeSet.map((c) => `${c.kind}/${c.name}:${c.action}`).sort()).toEqual([
        'Container/api:created',
        'Container/cache:created',
        'Container/web:created',
        'Network/default:created',
        'Volume/cache:created',
      ]);
      // cache (wave 0) started before api (wave 1) before web (wave 2).
      const started = await Promise.all(
        ['cache', 'api', 'web'].map(async (name) => {
          const id = (await containerIds(podman()))[name] ?? '';
          return Date.parse((await podman().docker.getContainer(id).inspect()).State.StartedAt);
        }),
      );
      expect([...started].sort((a, b) => a - b)).toEqual(started);
      expect(Object.keys(first?.facts ?? {}).sort()).toEqual([
        'box/Container/shop/api',
        'box/Container/shop/cache',
        'box/Container/shop/web',
      ]);
    });

    it('recreates only the service whose environment changed', async () => {
      const before = await containerIds(podman());
      await h.commit({ 'apps/shop/compose.yaml': compose(podman().image, port, 'bonjour') }, 'French');
      await h.refresh('shop');
      expect(await page(port)).toBe('bonjour');
      const after = await containerIds(podman());
      expect(after.web).not.toBe(before.web);
      expect(after.api).toBe(before.api);
      expect(after.cache).toBe(before.cache);
      const [last] = await h.engine.history('shop');
      expect(last?.changeSet.filter((c) => c.action !== 'unchanged').map((c) => c.name)).toEqual(['web']);
    });

    it('heals a container removed by hand without waiting for a poll', async () => {
      const before = await containerIds(podman());
      await podman()
        .docker.getContainer(before.api ?? '')
        .remove({ force: true });
      const healed = await waitFor(
        'api to be recreated',
        async () => {
          const now = await containerIds(podman());
          return now.api && now.api !== before.api ? now : undefined;
        },
        { timeoutMs: 45_000 },
      );
      expect(healed.web).toBe(before.web);
      await waitFor('the app to be Synced again', () => h.engine.status('shop').syncStatus === 'Synced');
    });

    it('reports an unsupported key with its position and touches nothing', async () => {
      const before = await containerIds(podman());
      await h.commit(
        {
          'apps/shop/compose.yaml': compose(podman().image, port, 'hola').replace(
            '    network_mode: host\n',
            '    network_mode: host\n    pid: host\n',
          ),
        },
        'pid: host web',
      );
      await h.refresh('shop');
      const status = h.engine.status('shop');
      expect(status.lastError?.message).toMatch(
        /apps\/shop\/compose\.yaml:5:5 services\.web\.pid: "pid" is not supported/,
      );
      expect(await containerIds(podman())).toEqual(before);
      expect(await page(port)).toBe('bonjour');
    });

    it('prunes a service deleted from the file', async () => {
      const withoutCacheUse = compose(podman().image, port, 'bonjour')
        .replace('    depends_on: [cache]\n', '')
        .replace(/ {2}cache:\n {4}image:[\s\S]*?stop_grace_period: 1s\n/, '');
      await h.commit({ 'apps/shop/compose.yaml': withoutCacheUse }, 'no cache service');
      await h.refresh('shop');
      const now = await containerIds(podman());
      expect(Object.keys(now).sort()).toEqual(['api', 'web']);
      const [last] = await h.engine.history('shop');
      expect(last?.changeSet.filter((c) => c.action === 'deleted').map((c) => `${c.kind}/${c.name}`)).toEqual(
        ['Container/cache'],
      );
    });

    it('leaves containers untouched when the engine restarts', async () => {
      const before = await containerIds(podman());
      const { repoDir, dataDir, commit } = h;
      await h.close();
      driver = createDockerDriver(dockerDeps(podman()));
      const again = await engineOn(repoDir, dataDir, { driver, driverName: 'docker', kinds: dockerKinds });
      h = { ...h, ...again, repoDir, dataDir, commit };
      expect(await containerIds(podman())).toEqual(before);
      expect(h.engine.status('shop')).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
    });

    it('shows an unhealthy service as Degraded with its logs', async () => {
      const auditor = `  auditor:
    image: ${podman().image}
    command: ["sh", "-c", "echo 'auditor: cannot reach the ledger at ledger:5432'; exec sleep 3600"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD-SHELL", "echo ledger unreachable; exit 1"]
      interval: 1s
      retries: 1
`;
      const withAuditor = compose(podman().image, port, 'bonjour', auditor)
        .replace('    depends_on: [cache]\n', '')
        .replace(/ {2}cache:\n {4}image:[\s\S]*?stop_grace_period: 1s\n/, '');
      await h.commit({ 'apps/shop/compose.yaml': withAuditor }, 'add the auditor');
      await h.refresh('shop');
      const [last] = await h.engine.history('shop');
      expect(last?.result).toBe('failed');
      expect(last?.messages.join('\n')).toContain('auditor: cannot reach the ledger');
      const status = h.engine.status('shop');
      expect(status.health.status).toBe('Degraded');
      const resource = status.resources.find((r) => r.name === 'auditor');
      expect(resource?.health.status).toBe('Degraded');
      expect(resource?.health.message).toContain('ledger unreachable');
      expect(resource?.health.message).toContain('auditor: cannot reach the ledger');
      expect(await page(port)).toBe('bonjour');
    });
  },
);
