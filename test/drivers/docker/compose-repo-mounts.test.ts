import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerDriver, dockerKinds } from '../../../src/drivers/docker/index.js';
import { dockerDeps } from '../../support/docker.js';
import { startHarness } from '../../support/engine-harness.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { podmanCompose, podmanComposeSkipReason } from '../../support/podman-compose.js';
import { execIn, shopConfig } from '../../support/podman-shop.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * Relative bind mounts (`./app.conf:/etc/app/app.conf:ro`, `./html:/srv/html`) mount a copy of
 * those paths at the synced revision; a change of them in Git recreates only the containers that
 * mount them.
 */
const tmp = tempDirs();
const SECRET = 'tok-7f3a9c-never-in-history';

const COMPOSE = (image: string) => `services:
  web:
    image: ${image}
    command: ["sleep", "3600"]
    volumes:
      - ./app.conf:/etc/app/app.conf:ro
      - type: bind
        source: ./html
        target: /srv/html
    stop_signal: SIGKILL
    stop_grace_period: 1s
  other:
    image: ${image}
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
`;

describe.skipIf(podmanSkipReason !== undefined)('relative bind mounts on Podman', () => {
  const podman = usePodman();
  let h: Awaited<ReturnType<typeof startHarness>>;
  let driver: ReturnType<typeof createDockerDriver>;

  async function containers(): Promise<Record<string, string>> {
    const list = await podman().docker.listContainers({
      all: true,
      filters: { label: ['wheelhouse.app=shop'] },
    });
    return Object.fromEntries(list.map((c) => [c.Labels['wheelhouse.resource']?.split('/')[3] ?? '?', c.Id]));
  }

  beforeAll(async () => {
    driver = createDockerDriver(dockerDeps(podman(), { env: { API_TOKEN: SECRET } }));
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': shopConfig(podman().host),
        'apps/shop/compose.yaml': COMPOSE(podman().image),
        'apps/shop/app.conf': 'level=info\n',
        'apps/shop/html/index.html': 'v1\n',
      },
      driver,
      driverName: 'docker',
      kinds: dockerKinds,
    });
  }, 300_000);

  afterAll(async () => {
    await h?.close();
  });

  it('mounts the files of the synced revision, read-only where asked, from a directory Wheelhouse owns', async () => {
    expect(h.engine.status('shop').lastError).toBeUndefined();
    const web = (await containers()).web ?? '';
    expect(await execIn(podman(), web, ['cat', '/etc/app/app.conf', '/srv/html/index.html'])).toBe(
      'level=info\nv1\n',
    );
    expect(await execIn(podman(), web, ['sh', '-c', 'echo x > /etc/app/app.conf'])).toMatch(/Read-only/i);
    const info = await podman().docker.getContainer(web).inspect();
    const sources = info.Mounts.map((m) => m.Source);
    expect(sources.every((s) => s.startsWith(`${podman().dir}/repo-mounts/shop/web/`))).toBe(true);
    expect(sources.some((s) => s.startsWith(h.repoDir))).toBe(false);
  });

  it.skipIf(podmanComposeSkipReason !== undefined)(
    'gives the container the same files, read-only where asked, as podman-compose on the same directory',
    async () => {
      const dir = await tmp('podman-compose-mounts');
      await mkdir(join(dir, 'html'), { recursive: true });
      await writeFile(join(dir, 'compose.yaml'), COMPOSE(podman().image));
      await writeFile(join(dir, 'app.conf'), 'level=info\n');
      await writeFile(join(dir, 'html', 'index.html'), 'v1\n');
      const file = join(dir, 'compose.yaml');
      // What a container sees at both mounts, and whether it may write the :ro one.
      const look = async (id: string) => [
        await execIn(podman(), id, ['cat', '/etc/app/app.conf', '/srv/html/index.html']),
        /Read-only/i.test(await execIn(podman(), id, ['sh', '-c', 'echo x > /etc/app/app.conf'])),
      ];
      await podmanCompose(podman(), file, 'pcm', ['up', '-d', 'web']);
      try {
        const theirs = await look('pcm_web_1');
        expect(theirs).toEqual(['level=info\nv1\n', true]);
        expect(await look((await containers()).web ?? '')).toEqual(theirs);
      } finally {
        await podmanCompose(podman(), file, 'pcm', ['down', '-t', '0']);
      }
    },
  );

  it('recreates only the container that mounts what changed in Git', async () => {
    const before = await containers();
    await h.commit({ 'apps/shop/html/index.html': 'v2\n' }, 'new page');
    await h.refresh('shop');
    expect(h.engine.status('shop').lastError).toBeUndefined();
    const after = await containers();
    expect(after.web).not.toBe(before.web);
    expect(after.other).toBe(before.other);
    expect(await execIn(podman(), after.web ?? '', ['cat', '/srv/html/index.html'])).toBe('v2\n');
  });

  it('writes the files again when the container is applied again, undoing an edit on the host', async () => {
    const web = (await containers()).web ?? '';
    const info = await podman().docker.getContainer(web).inspect();
    const conf = info.Mounts.find((m) => m.Destination === '/etc/app/app.conf')?.Source ?? '';
    await writeFile(conf, 'level=hacked\n');
    await podman().docker.getContainer(web).remove({ force: true });
    await h.refresh('shop');
    // The removal is also seen by the driver's event stream, which may heal it a moment after the
    // refresh returns: wait for the new container rather than race it.
    const again = await waitFor('web to be applied again', async () => {
      const id = (await containers()).web;
      return id !== undefined && id !== web && id;
    });
    await h.engine.settled();
    expect(await readFile(conf, 'utf8')).toBe('level=info\n');
    expect(await execIn(podman(), again, ['cat', '/etc/app/app.conf'])).toBe('level=info\n');
  });

  it('reports a mounted file edited, deleted or added on the host as drift, and heals it like a File', async () => {
    const web = (await containers()).web ?? '';
    const mounts = (await podman().docker.getContainer(web).inspect()).Mounts;
    const conf = mounts.find((m) => m.Destination === '/etc/app/app.conf')?.Source ?? '';
    const html = mounts.find((m) => m.Destination === '/srv/html')?.Source ?? '';
    expect((await driver.observe('shop')).find((r) => r.name === 'web')?.drift).toBeUndefined();
    await writeFile(conf, 'level=hacked\n');
    await rm(join(html, 'index.html'));
    await writeFile(join(html, 'extra.html'), 'planted\n');
    const live = (await driver.observe('shop')).find((r) => r.name === 'web');
    expect(live?.drift).toBe(
      'mounted file apps/shop/app.conf was edited on the host; mounted file apps/shop/html/index.html was deleted on the host; apps/shop/html/extra.html was added on the host to a mounted directory',
    );
    expect((await driver.observe('shop')).find((r) => r.name === 'other')?.drift).toBeUndefined();

    // The engine sees the resource OutOfSync and self-heals it: the files of the revision are
    // written again and the container that mounts them is recreated.
    await h.refresh('shop');
    expect(h.engine.status('shop').lastError).toBeUndefined();
    const healed = (await containers()).web ?? '';
    expect(healed).not.toBe(web);
    expect(await execIn(podman(), healed, ['cat', '/etc/app/app.conf', '/srv/html/index.html'])).toBe(
      'level=info\nv2\n',
    );
    expect(await execIn(podman(), healed, ['ls', '/srv/html'])).toBe('index.html\n');
    expect((await driver.observe('shop')).find((r) => r.name === 'web')?.drift).toBeUndefined();
  });

  it('mounts file and environment secrets at /run/secrets and configs at their targets, never writing the value to history', async () => {
    await h.commit(
      {
        'apps/shop/compose.yaml': `services:
  api:
    image: ${podman().image}
    command: ["sleep", "3600"]
    secrets: [db_password, { source: api_token, target: token }]
    configs: [{ source: app_conf, target: /etc/app.conf }, plain]
    stop_signal: SIGKILL
    stop_grace_period: 1s
secrets:
  db_password: { file: ./secrets/db.txt }
  api_token: { environment: API_TOKEN }
configs:
  app_conf: { file: ./app.conf }
  plain: { environment: API_TOKEN }
`,
        'apps/shop/secrets/db.txt': 'db-pass-from-file\n',
      },
      'secrets and configs',
    );
    await h.refresh('shop');
    expect(h.engine.status('shop').lastError).toBeUndefined();
    const api = (await containers()).api ?? '';
    expect(
      await execIn(podman(), api, [
        'cat',
        '/run/secrets/db_password',
        '/run/secrets/token',
        '/etc/app.conf',
        '/plain',
      ]),
    ).toBe(`db-pass-from-file\n${SECRET}level=info\n${SECRET}`);
    const history = JSON.stringify(await h.engine.history('shop'));
    expect(history).toContain('API_TOKEN');
    expect(history).not.toContain(SECRET);
    for (const name of await readdir(h.dataDir, { recursive: true })) {
      const text = await readFile(join(h.dataDir, name)).catch(() => Buffer.alloc(0));
      expect(text.includes(SECRET), `${name} holds the secret`).toBe(false);
    }
  });
});
