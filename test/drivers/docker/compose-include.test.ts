import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PodmanHost, podmanSkipReason, usePodman } from '../../support/podman.js';
import { podmanCompose, podmanComposeSkipReason } from '../../support/podman-compose.js';
import { execIn, shopContainers, useShopHarness } from '../../support/podman-shop.js';
import { tempDirs } from '../../support/tmp.js';

/**
 * `include:` and `extends: { file }` on a Podman host: each included project and each extended
 * file keeps its own directory for `./` mounts and env files, and its own `.env` for `${VAR}`.
 */
const tmp = tempDirs();

const SLEEP = `    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
`;

const tree = (image: string): Record<string, string> => ({
  'apps/shop/compose.yaml': `include:
  - db/compose.yaml
services:
  web:
    extends:
      file: common/base.yaml
      service: base
    image: ${image}
    environment:
      ROLE: web
`,
  'apps/shop/db/compose.yaml': `services:
  db:
    image: ${image}
    environment:
      GREETING: \${DB_GREETING}
    volumes: ["./site:/srv/site:ro"]
${SLEEP}`,
  'apps/shop/db/.env': 'DB_GREETING=hello from db/.env\n',
  'apps/shop/db/site/index.html': 'db site\n',
  'apps/shop/common/base.yaml': `services:
  base:
    env_file: base.env
    volumes: ["./motd:/etc/motd:ro"]
${SLEEP}`,
  'apps/shop/common/base.env': 'LEVEL=info\n',
  'apps/shop/common/motd': 'from common\n',
});

const containers = shopContainers;

const envOf = async (podman: PodmanHost, id: string, names: RegExp) =>
  ((await podman.docker.getContainer(id).inspect()).Config.Env ?? []).filter((e) => names.test(e)).sort();

describe.skipIf(podmanSkipReason !== undefined)('include and extends.file on Podman', () => {
  const podman = usePodman();
  const harness = useShopHarness(tmp, podman, () => tree(podman().image));

  it('runs the included service with its own .env and ./ mounts, and the extended one with the base file’s', async () => {
    expect(harness().engine.status('shop').lastError).toBeUndefined();
    const ids = await containers(podman());
    expect(Object.keys(ids).sort()).toEqual(['db', 'web']);
    const db = ids.db ?? '';
    const web = ids.web ?? '';
    expect(await envOf(podman(), db, /^GREETING=/)).toEqual(['GREETING=hello from db/.env']);
    expect(await execIn(podman(), db, ['cat', '/srv/site/index.html'])).toBe('db site\n');
    expect(await envOf(podman(), web, /^(LEVEL|ROLE)=/)).toEqual(['LEVEL=info', 'ROLE=web']);
    expect(await execIn(podman(), web, ['cat', '/etc/motd'])).toBe('from common\n');
  });

  it('a change in the included project’s files recreates only its container', async () => {
    const before = await containers(podman());
    await harness().commit({ 'apps/shop/db/site/index.html': 'db site v2\n' }, 'db site v2');
    await harness().refresh('shop');
    expect(harness().engine.status('shop').lastError).toBeUndefined();
    const after = await containers(podman());
    expect(after.web).toBe(before.web);
    expect(after.db).not.toBe(before.db);
    expect(await execIn(podman(), after.db ?? '', ['cat', '/srv/site/index.html'])).toBe('db site v2\n');
  });

  it.skipIf(podmanComposeSkipReason !== undefined)(
    'extends.file gives the environment podman-compose gives (which reads the file from its working directory)',
    async () => {
      // podman-compose 1.0 opens extends.file relative to its working directory and keeps the base's
      // ./ paths relative to the including file, so the base here has no relative paths.
      const files: Record<string, string> = {
        'apps/shop/compose.yaml': `services:
  web:
    extends: { file: common/plain.yaml, service: plain }
    image: ${podman().image}
    environment: { ROLE: web }
`,
        'apps/shop/common/plain.yaml': `services:
  plain:
    environment: { LEVEL: info, FROM: base }
${SLEEP}`,
      };
      const dir = await tmp('podman-compose-extends');
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const project = join(dir, 'apps/shop');
      await podmanCompose(podman(), join(project, 'compose.yaml'), 'pcx', ['up', '-d'], project);
      const theirs = await envOf(podman(), 'pcx_web_1', /^(LEVEL|FROM|ROLE)=/);
      await podmanCompose(podman(), join(project, 'compose.yaml'), 'pcx', ['down', '-t', '0'], project);

      await harness().commit(
        {
          ...files,
          // No longer included or extended, a YAML file would be read as a manifest: remove them.
          'apps/shop/db/compose.yaml': null,
          'apps/shop/common/base.yaml': null,
        },
        'extend a plain base',
      );
      await harness().refresh('shop');
      expect(harness().engine.status('shop').lastError).toBeUndefined();
      const ours = await envOf(podman(), (await containers(podman())).web ?? '', /^(LEVEL|FROM|ROLE)=/);
      expect(ours).toEqual(['FROM=base', 'LEVEL=info', 'ROLE=web']);
      expect(ours).toEqual(theirs);
    },
  );
});
