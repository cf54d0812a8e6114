// Issue 21: `wheelhouse images` shows each policy's last check from a real `up` against a real registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { registryOnlySkipReason, startTestRegistry, type TestRegistry } from '../support/registry.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const tmp = tempDirs();

interface ImagesJson {
  images: {
    app: string;
    image: string;
    state: string;
    current?: string;
    candidate?: string;
    message: string;
  }[];
}

describe.skipIf(registryOnlySkipReason !== undefined)('wheelhouse images', () => {
  let server: UpServer | undefined;
  let registry: TestRegistry;
  let down: string;

  beforeAll(async () => {
    await ensureBuilt();
    registry = await startTestRegistry();
    for (const tag of ['1.0.0', '1.1.0', '2.0.0']) await registry.push('shop/web', tag);
    down = `127.0.0.1:${await freePort()}`;
    const repo = await tmp('repo');
    await createRepo(repo, {
      // The bot has no binding: the update is refused like anyone's without `write`.
      'wheelhouse.yaml': `apps:
  - name: web
    path: apps/web
    sync: { auto: false }
    images:
      - { image: ${registry.address}/shop/web, policy: { semver: "^1.0.0" }, interval: 10s }
  - name: api
    path: apps/api
    sync: { auto: false }
    images:
      - { image: ${down}/shop/api, policy: { semver: "^1.0.0" }, interval: 10s }
`,
      'apps/web/compose.yaml': `services:\n  web:\n    image: ${registry.address}/shop/web:1.0.0\n`,
      'apps/api/compose.yaml': `services:\n  api:\n    image: ${down}/shop/api:1.0.0\n`,
    });
    server = await startUp(tmp, repo);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await registry?.stop();
  });

  it('lists policies with the candidate found, a refused update held, and a registry that is down', async () => {
    const body = await waitFor(
      'both policies checked',
      async () => {
        const result = await server?.cli('images', '--json');
        const parsed = JSON.parse(result?.stdout || '{"images":[]}') as ImagesJson;
        return parsed.images.every((i) => i.state !== 'pending') && parsed.images.length === 2
          ? parsed
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const web = body.images.find((i) => i.app === 'web');
    expect(web).toMatchObject({
      state: 'held',
      current: `${registry.address}/shop/web:1.0.0`,
      candidate: '1.1.0',
    });
    expect(web?.message).toMatch(/not committed: .*write/);
    const api = body.images.find((i) => i.app === 'api');
    expect(api?.state).toBe('error');
    expect(api?.message).toMatch(new RegExp(`cannot reach http://${down}.*keeping ${down}/shop/api:1.0.0`));

    const table = await server?.cli('images', 'web');
    expect(table?.stdout).toMatch(/web\s+\S+shop\/web\s+semver \^1\.0\.0\s+\S+:1\.0\.0\s+1\.1\.0\s+held/);
  });
});
