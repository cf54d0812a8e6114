import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/images/index.js';
import { freePort } from '../support/ports.js';
import { registryOnlySkipReason, startTestRegistry, type TestRegistry } from '../support/registry.js';
import { startTokenFront, type TokenFront } from '../support/registry-token-server.js';

describe.skipIf(registryOnlySkipReason !== undefined)('registry client against docker-registry', () => {
  let registry: TestRegistry;
  let front: TokenFront;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startTestRegistry();
    for (const tag of ['1.0.0', '1.1.0', '1.2.0', '2.0.0', 'latest'])
      digests[tag] = await registry.push('shop/web', tag);
    front = await startTokenFront(registry.url, 'robot', 's3cret');
  }, 60_000);
  afterAll(async () => {
    await front?.stop();
    await registry?.stop();
  });

  it('lists every tag across pages the registry cuts with Link rel=next', async () => {
    const seen: string[] = [];
    const client = createRegistryClient({
      pageSize: 2,
      credentials: { username: 'robot', password: 's3cret' },
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    const tags = await client.listTags(front.url, 'shop/web');
    expect([...tags].sort()).toEqual(['1.0.0', '1.1.0', '1.2.0', '2.0.0', 'latest']);
    const pages = seen.filter((u) => u.includes('/tags/list'));
    // 401 + retry with the token, then two more pages: 5 tags in pages of 2.
    expect(pages.length).toBe(4);
    expect(pages[2]).toContain('last=1.1.0');
    expect(pages[3]).toContain('last=2.0.0');
  });

  it('reads the manifest digest a tag points at', async () => {
    const client = createRegistryClient();
    expect(await client.digest(registry.url, 'shop/web', '1.2.0')).toBe(digests['1.2.0']);
    const moved = await registry.push('shop/web', 'latest', 'moved');
    expect(await client.digest(registry.url, 'shop/web', 'latest')).toBe(moved);
  });

  it('follows a Bearer challenge to the token endpoint with the credentials, and reuses the token', async () => {
    front.tokenRequests.length = 0;
    const client = createRegistryClient({ credentials: { username: 'robot', password: 's3cret' } });
    expect(await client.listTags(front.url, 'shop/web')).toContain('2.0.0');
    expect(await client.digest(front.url, 'shop/web', '1.0.0')).toBe(digests['1.0.0']);
    expect(front.tokenRequests).toEqual([
      { service: 'test-registry', scope: 'repository:shop/web:pull', user: 'robot' },
    ]);
  });

  it('says the credentials were refused, and that an unreachable registry is down, naming it', async () => {
    const wrong = createRegistryClient({ credentials: { username: 'robot', password: 'nope' } });
    await expect(wrong.listTags(front.url, 'shop/web')).rejects.toThrow(
      /token endpoint .* answered 401 — check the credentials/,
    );
    const port = await freePort();
    await expect(
      createRegistryClient().listTags(`http://127.0.0.1:${port}`, 'shop/web'),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(
        new RegExp(`listing tags of shop/web on http://127.0.0.1:${port}: cannot reach`),
      ),
    });
    await expect(createRegistryClient().listTags(registry.url, 'shop/none')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
