import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WheelhouseEvent } from '../../../src/core/index.js';
import { createDockerDriver, dockerKinds } from '../../../src/drivers/docker/index.js';
import { dockerDeps } from '../../support/docker.js';
import { startHarness } from '../../support/engine-harness.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { podmanCompose, podmanComposeSkipReason } from '../../support/podman-compose.js';
import { execIn, shopConfig } from '../../support/podman-shop.js';
import { tempDirs } from '../../support/tmp.js';

/**
 * `build:` builds on the target engine from the context in Git at the synced revision, FROM the
 * local busybox image (no pulls): rebuilt only when the context changes; a failing build fails the
 * sync with its last lines.
 */
const tmp = tempDirs();

const COMPOSE = `services:
  web:
    build:
      context: ./web
      dockerfile: build/Containerfile
      target: final
      args:
        GREETING: hello from args
      labels:
        team: shop
    pull_policy: build
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
  other:
    image: IMAGE
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
`;

const containerfile = (image: string, extra = '') => `FROM ${image} AS base
RUN echo base > /base.txt
FROM base AS final
ARG GREETING
RUN echo "$GREETING" > /greeting.txt
COPY . /ctx/
${extra}`;

type Container = { id: string; image: string; labels: Record<string, string> };

describe.skipIf(podmanSkipReason !== undefined)('compose build: on Podman', () => {
  const podman = usePodman();
  let h: Awaited<ReturnType<typeof startHarness>>;
  const events: WheelhouseEvent[] = [];

  const files = (extra = '', page = 'v1\n') => ({
    'apps/shop/compose.yaml': COMPOSE.replace('IMAGE', podman().image),
    'apps/shop/web/build/Containerfile': containerfile(podman().image, extra),
    'apps/shop/web/index.html': page,
    'apps/shop/web/secret.key': 'never in the image\n',
    'apps/shop/web/.dockerignore': '*.key\n',
  });

  async function containers(): Promise<Record<string, Container>> {
    const list = await podman().docker.listContainers({
      all: true,
      filters: { label: ['wheelhouse.app=shop'] },
    });
    return Object.fromEntries(
      list.map((c) => [
        c.Labels['wheelhouse.resource']?.split('/')[3] ?? '?',
        { id: c.Id, image: c.Image, labels: c.Labels },
      ]),
    );
  }

  const run = (id: string, cmd: string[]) => execIn(podman(), id, cmd);

  beforeAll(async () => {
    h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': shopConfig(podman().host) },
      driver: createDockerDriver(dockerDeps(podman())),
      driverName: 'docker',
      kinds: dockerKinds,
    });
    h.engine.events.subscribe((e) => events.push(e));
    await h.commit(files(), 'shop with a build');
    await h.refresh('shop');
  }, 300_000);

  afterAll(async () => {
    await h?.close();
  });

  it('builds the context at the synced revision with its dockerfile, args, target and labels, honouring .dockerignore', async () => {
    expect(h.engine.status('shop').lastError).toBeUndefined();
    const web = (await containers()).web;
    expect(web?.image).toMatch(/^localhost\/wheelhouse\/.*web:[0-9a-f]{12}-[0-9a-f]{8}$/);
    expect(await run(web?.id ?? '', ['cat', '/base.txt', '/greeting.txt', '/ctx/index.html'])).toBe(
      'base\nhello from args\nv1\n',
    );
    expect(await run(web?.id ?? '', ['ls', '/ctx'])).not.toContain('secret.key');
    const image = await podman()
      .docker.getImage(web?.image ?? '')
      .inspect();
    expect(image.Config.Labels).toMatchObject({ team: 'shop' });
    const progress = events.flatMap((e) => (e.type === 'sync.progress' ? [e.message] : []));
    expect(progress.some((m) => m.startsWith('Container web: building localhost/wheelhouse/'))).toBe(true);
    expect(progress.some((m) => /build .*: .*RUN echo base/.test(m))).toBe(true);
  });

  it.skipIf(podmanComposeSkipReason !== undefined)(
    'builds what podman-compose builds from the same directory (which leaves build labels out)',
    async () => {
      const dir = await tmp('podman-compose-build');
      for (const [path, text] of Object.entries(files())) {
        const to = join(dir, path.replace(/^apps\/shop\//, ''));
        await mkdir(dirname(to), { recursive: true });
        await writeFile(to, text);
      }
      const file = join(dir, 'compose.yaml');
      const look = async (id: string) => [
        await run(id, ['cat', '/base.txt', '/greeting.txt', '/ctx/index.html']),
        (await run(id, ['ls', '/ctx'])).includes('secret.key'),
      ];
      await podmanCompose(podman(), file, 'pcb', ['up', '-d', 'web'], dir);
      try {
        const theirs = await look('pcb_web_1');
        expect(theirs).toEqual(['base\nhello from args\nv1\n', false]);
        expect(await look((await containers()).web?.id ?? '')).toEqual(theirs);
        const image = (await podman().docker.getContainer('pcb_web_1').inspect()).Image;
        expect((await podman().docker.getImage(image).inspect()).Config.Labels?.team).toBeUndefined();
      } finally {
        await podmanCompose(podman(), file, 'pcb', ['down', '-t', '0'], dir);
      }
    },
  );

  it('rebuilds and recreates only when the context changes', async () => {
    const before = await containers();
    await h.commit({ 'apps/shop/notes.md': 'outside the context\n' }, 'not the context');
    await h.refresh('shop');
    const same = await containers();
    expect(same.web?.id).toBe(before.web?.id);
    expect(same.other?.id).toBe(before.other?.id);

    await h.commit({ 'apps/shop/web/index.html': 'v2\n' }, 'new page');
    await h.refresh('shop');
    expect(h.engine.status('shop').lastError).toBeUndefined();
    const after = await containers();
    expect(after.web?.id).not.toBe(before.web?.id);
    expect(after.web?.image).not.toBe(before.web?.image);
    expect(after.other?.id).toBe(before.other?.id);
    expect(await run(after.web?.id ?? '', ['cat', '/ctx/index.html'])).toBe('v2\n');
  });

  it('fails the sync with the last lines of a failing build and keeps the running container', async () => {
    const before = await containers();
    await h.commit(files('RUN echo about to fail && exit 3\n', 'v3\n'), 'broken build');
    await h.refresh('shop');
    const error = h.engine.status('shop').lastError?.message ?? '';
    expect(error).toMatch(/the build of localhost\/wheelhouse\/.*web:.* for .*web failed: /);
    expect(error).toContain('about to fail');
    expect(error).toMatch(/Fix apps\/shop\/web\/build\/Containerfile \(or the args\) in Git and sync again/);
    expect((await containers()).web?.id).toBe(before.web?.id);
  });
});
