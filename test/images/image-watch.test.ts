import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePolicy } from '../../src/core/index.js';
import { createImageWatch, createRegistryClient, type ImageUpdate } from '../../src/images/index.js';
import { freePort } from '../support/ports.js';
import { registryOnlySkipReason, startTestRegistry, type TestRegistry } from '../support/registry.js';

describe.skipIf(registryOnlySkipReason !== undefined)('image watch against docker-registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startTestRegistry();
    for (const tag of ['1.0.0', '1.2.0', '2.0.0', 'latest']) await registry.push('shop/web', tag);
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
  });

  function setup(
    policy: Omit<ImagePolicy, 'image' | 'registry' | 'repository' | 'intervalMs'>,
    current: string,
  ) {
    const image = `${registry.address}/shop/web`;
    const full: ImagePolicy = {
      image,
      registry: registry.url,
      repository: 'shop/web',
      intervalMs: 60_000,
      ...policy,
    };
    const state = { current: `${image}:${current}`, proposed: [] as ImageUpdate[] };
    const watch = createImageWatch({
      apps: () => [{ name: 'web', images: [full] }],
      current: async () => state.current,
      propose: async (update) => {
        state.proposed.push(update);
        return { committed: true, message: `committed ${update.tag}` };
      },
      client: () => createRegistryClient(),
    });
    return { watch, state, image, policy: full };
  }

  it('proposes the newest tag inside the semver range and ignores one outside it', async () => {
    const { watch, state, image } = setup({ rule: { kind: 'semver', range: '^1.0.0' } }, '1.0.0');
    const [status] = await watch.checkAll();
    expect(status).toMatchObject({ state: 'proposed', candidate: '1.2.0' });
    expect(state.proposed).toEqual([{ app: 'web', image, tag: '1.2.0', from: `${image}:1.0.0` }]);

    state.current = `${image}:1.2.0`;
    state.proposed.length = 0;
    await registry.push('shop/web', '3.0.0');
    expect((await watch.checkAll())[0]).toMatchObject({ state: 'up-to-date', candidate: '1.2.0' });
    expect(state.proposed).toEqual([]);

    await registry.push('shop/web', '1.3.0');
    const [pushed] = await watch.checkRepository(registry.address, 'shop/web');
    expect(pushed).toMatchObject({ state: 'proposed', candidate: '1.3.0' });
    expect(watch.statuses()).toEqual([pushed]);
  });

  it('follows the digest of a tag: a new push to it is proposed with its digest', async () => {
    const { watch, state, image } = setup({ rule: { kind: 'digest', tag: 'latest' } }, 'latest@sha256:old');
    const digest = await registry.push('shop/web', 'latest', 'rebuilt');
    expect((await watch.checkAll())[0]).toMatchObject({ state: 'proposed', candidate: `latest@${digest}` });
    expect(state.proposed).toEqual([
      { app: 'web', image, tag: 'latest', digest, from: `${image}:latest@sha256:old` },
    ]);
  });

  it('asks once for a candidate that waits for approval, not at every poll', async () => {
    const { watch, state } = setup({ rule: { kind: 'semver', range: '^1.0.0' } }, '1.0.0');
    let asked = 0;
    const held = createImageWatch({
      apps: () => [
        { name: 'web', images: [setup({ rule: { kind: 'semver', range: '^1.0.0' } }, '1.0.0').policy] },
      ],
      current: async () => state.current,
      propose: async () => {
        asked += 1;
        return { committed: false, awaitingApproval: true, message: 'waits for approval abc' };
      },
      client: () => createRegistryClient(),
    });
    expect((await held.checkAll())[0]).toMatchObject({ state: 'held', message: 'waits for approval abc' });
    expect((await held.checkAll())[0]).toMatchObject({ state: 'held', message: 'waits for approval abc' });
    expect(asked).toBe(1);
    expect(watch.statuses()[0]?.state).toBe('pending');
  });

  it('a registry that is down keeps the current image and the status says so', async () => {
    const port = await freePort();
    const { watch, state, image, policy } = setup({ rule: { kind: 'semver', range: '^1.0.0' } }, '1.0.0');
    policy.registry = `http://127.0.0.1:${port}`;
    const [status] = await watch.checkAll();
    expect(status?.state).toBe('error');
    expect(status?.message).toMatch(
      new RegExp(`could not check ${image}: .*cannot reach .*; keeping ${image}:1.0.0`),
    );
    expect(state.proposed).toEqual([]);
  });
});
