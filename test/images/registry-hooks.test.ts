import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_HOOK_SECRET_ENV, registryHookRoutes } from '../../src/cli/up/image-hooks.js';
import type { ControlConfig, ImagePolicy } from '../../src/core/index.js';
import {
  createImageWatch,
  createRegistryClient,
  type ImageUpdate,
  pushedImages,
} from '../../src/images/index.js';
import { registryOnlySkipReason, startTestRegistry, type TestRegistry } from '../support/registry.js';

describe('registry webhook payloads', () => {
  it('reads pushes from distribution, Docker Hub and Harbor bodies, and nothing from others', () => {
    expect(
      pushedImages({
        events: [
          {
            action: 'push',
            target: { repository: 'shop/web', tag: '1.2.0' },
            request: { host: '127.0.0.1:5000' },
          },
          { action: 'pull', target: { repository: 'shop/web' }, request: { host: '127.0.0.1:5000' } },
        ],
      }),
    ).toEqual([{ host: '127.0.0.1:5000', repository: 'shop/web', tag: '1.2.0' }]);
    expect(pushedImages({ push_data: { tag: 'latest' }, repository: { repo_name: 'nginx' } })).toEqual([
      { host: 'registry-1.docker.io', repository: 'library/nginx', tag: 'latest' },
    ]);
    expect(
      pushedImages({
        type: 'PUSH_ARTIFACT',
        event_data: { resources: [{ tag: 'v2', resource_url: 'harbor.example.com/shop/api:v2' }] },
      }),
    ).toEqual([{ host: 'harbor.example.com', repository: 'shop/api', tag: 'v2' }]);
    expect(pushedImages({ hello: 'world' })).toEqual([]);
  });
});

describe.skipIf(registryOnlySkipReason !== undefined)('POST /hooks/registry', () => {
  let registry: TestRegistry;
  const proposed: ImageUpdate[] = [];
  const app = Fastify();
  /** What wheelhouse.yaml says of the registry webhook (only `webhooks` is read). */
  let config: ControlConfig | undefined;
  beforeAll(async () => {
    registry = await startTestRegistry();
    await registry.push('shop/web', '1.0.0');
    const policy: ImagePolicy = {
      image: `${registry.address}/shop/web`,
      registry: registry.url,
      repository: 'shop/web',
      rule: { kind: 'semver', range: '^1.0.0' },
      intervalMs: 3_600_000,
    };
    const watch = createImageWatch({
      apps: () => [{ name: 'web', images: [policy] }],
      current: async () => `${policy.image}:1.0.0`,
      propose: async (update) => {
        proposed.push(update);
        return { committed: true, message: 'committed' };
      },
      client: () => createRegistryClient(),
    });
    await app.register(
      registryHookRoutes(
        () => watch,
        { [REGISTRY_HOOK_SECRET_ENV]: 'hook-secret', SHOP_REGISTRY_HOOK: 'named-secret' },
        () => config,
      ),
    );
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await registry?.stop();
  });

  const notify = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/hooks/registry',
      headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json', ...headers },
      payload: JSON.stringify({
        events: [
          {
            action: 'push',
            target: { repository: 'shop/web', tag: '1.1.0' },
            request: { host: registry.address },
          },
        ],
      }),
    });

  it('refuses a notification without the shared secret, naming the env var', async () => {
    const response = await notify({ authorization: 'Bearer wrong' });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain(REGISTRY_HOOK_SECRET_ENV);
    expect(proposed).toEqual([]);
  });

  it('a verified push notification checks the policy at once and proposes the pushed tag', async () => {
    await registry.push('shop/web', '1.1.0');
    const response = await notify({ authorization: 'Bearer hook-secret' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ pushes: 1, checked: 1 });
    expect(proposed.map((p) => p.tag)).toEqual(['1.1.0']);
  });

  it('takes the secret from the variable webhooks.registry.secretEnv names, when wheelhouse.yaml names one', async () => {
    config = { webhooks: { registry: { secretEnv: 'SHOP_REGISTRY_HOOK' } } } as unknown as ControlConfig;
    try {
      const old = await notify({ authorization: 'Bearer hook-secret' });
      expect(old.statusCode).toBe(401);
      expect(old.json().message).toContain(
        'SHOP_REGISTRY_HOOK (webhooks.registry.secretEnv in wheelhouse.yaml)',
      );
      expect((await notify({ authorization: 'Bearer named-secret' })).statusCode).toBe(202);
    } finally {
      config = undefined;
    }
  });
});
