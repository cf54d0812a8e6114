import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateControlRepo } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';
import { createKindRegistry, driverNames } from '../../src/drivers/registry.js';
import { createRepo, type FileTree, writeTree } from '../support/git.js';
import { TEST_DRIVERS, testKindRegistry } from '../support/kinds.js';
import { tempDirs } from '../support/tmp.js';

const options = { kinds: testKindRegistry(), drivers: TEST_DRIVERS };

const proc = (name: string) =>
  `apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: ${name} }\nspec: { command: [node, ${name}.js] }\n`;
const container = (name: string) =>
  `apiVersion: wheelhouse/v1\nkind: Container\nmetadata: { name: ${name} }\nspec: { image: busybox }\n`;

describe('validateControlRepo', () => {
  const tmp = tempDirs();

  async function gitRepo(files: FileTree): Promise<string> {
    const dir = await tmp('control');
    await createRepo(dir, files);
    return dir;
  }

  async function plainDir(files: FileTree): Promise<string> {
    const dir = await tmp('plain');
    await writeTree(dir, files);
    return dir;
  }

  it('checks a clean repo: config, every app of this repo, and skips apps from other repos', async () => {
    const dir = await gitRepo({
      'wheelhouse.yaml': `targets:
  box: { driver: docker }
apps:
  - { name: web, path: apps/web }
  - { name: db, path: apps/db, target: box }
  - name: remote
    path: deploy
    source: { repo: "https://git.example.com/x/y.git", ref: main }
`,
      'apps/web/api.yaml': proc('api'),
      'apps/web/worker/worker.yaml': `${proc('worker')}---\n${proc('cron')}`,
      'apps/db/db.yaml': container('postgres'),
    });
    const result = await validateControlRepo(dir, options);
    expect(result.issues).toEqual([]);
    expect(result.config?.apps.map((a) => a.name)).toEqual(['web', 'db', 'remote']);
    expect(result.apps).toEqual([
      { name: 'web', status: 'checked', resources: 3 },
      { name: 'db', status: 'checked', resources: 1 },
      {
        name: 'remote',
        status: 'skipped',
        reason: expect.stringContaining('its source is https://git.example.com/x/y.git (ref main)'),
        resources: 0,
      },
    ]);
  });

  it("reports every manifest problem of every app, and a path that does not exist at the app's entry", async () => {
    const dir = await gitRepo({
      'wheelhouse.yaml': `targets:
  box: { driver: docker }
apps:
  - { name: web, path: apps/web }
  - { name: db, path: apps/db, target: box }
  - { name: gone, path: apps/gone }
`,
      'apps/web/a.yaml': proc('api'),
      'apps/web/b.yaml': `${proc('api')}---\napiVersion: wheelhouse/v1\nkind: Proces\nmetadata: {name: x}\n`,
      'apps/db/db.yaml': proc('sidecar'),
    });
    const result = await validateControlRepo(dir, options);
    expect(result.config).toBeUndefined();
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^apps\/db\/db.yaml:2:7 kind: kind Process is served by driver process; app db targets box \(driver docker\)/,
      ),
      expect.stringMatching(
        /^apps\/web\/a.yaml:1:1 metadata.name: Process "api" is defined twice \(also at apps\/web\/b.yaml:1:1\)/,
      ),
      expect.stringMatching(/^apps\/web\/b.yaml:1:1 metadata.name: Process "api" is defined twice/),
      'apps/web/b.yaml:7:7 kind: unknown kind "Proces" — did you mean "Process"?',
      "wheelhouse.yaml:6:25 apps[2].path: the directory apps/gone does not exist in this repo — create it with the app's manifests, or fix the path",
    ]);
  });

  it('still checks the manifests of valid apps when wheelhouse.yaml has errors elsewhere', async () => {
    const dir = await gitRepo({
      'wheelhouse.yaml': 'aps: []\napps:\n  - { name: web, path: apps/web }\n  - { name: bad, path: /abs }\n',
      'apps/web/a.yaml': 'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: {name: api}\nspec: {}\n',
    });
    const result = await validateControlRepo(dir, options);
    expect(result.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}`)).toEqual([
      'apps/web/a.yaml:4:7 spec.command',
      'wheelhouse.yaml:1:1 aps',
      'wheelhouse.yaml:4:24 apps[1].path',
    ]);
    expect(result.apps).toEqual([
      { name: 'web', status: 'checked', resources: 0 },
      { name: 'bad', status: 'skipped', reason: 'its entry in wheelhouse.yaml has errors', resources: 0 },
    ]);
  });

  it('reads what Git would hold: ignored files are left out, untracked ones are read', async () => {
    const dir = await gitRepo({
      'wheelhouse.yaml': 'apps:\n  - { name: web, path: apps/web }\n',
      '.gitignore': 'apps/web/generated/\n',
      'apps/web/a.yaml': proc('api'),
    });
    await writeTree(dir, {
      'apps/web/generated/broken.yaml': 'this: [is: not, valid',
      'apps/web/new.yaml': proc('fresh'),
    });
    const result = await validateControlRepo(dir, options);
    expect(result.issues).toEqual([]);
    expect(result.apps[0]?.resources).toBe(2);
  });

  it('outside Git, reads every file except dot-directories', async () => {
    const dir = await plainDir({
      'wheelhouse.yaml': 'apps:\n  - { name: web, path: . }\n',
      '.git-like/x.yaml': 'broken: [',
      'web.yaml': proc('web'),
    });
    const result = await validateControlRepo(dir, options);
    // wheelhouse.yaml itself is under the app path "." but is never read as a manifest.
    expect(result.issues).toEqual([]);
    expect(result.apps[0]?.resources).toBe(1);
  });

  it('reads the files of a control repo that sits inside another repository, even an ignored part of it', async () => {
    const outer = await gitRepo({ '.gitignore': 'inner/\n', 'README.md': 'outer\n' });
    const inner = join(outer, 'inner');
    await writeTree(inner, {
      'wheelhouse.yaml': 'apps:\n  - { name: web, path: apps/web }\n',
      'apps/web/a.yaml': proc('api'),
    });
    const result = await validateControlRepo(inner, options);
    expect(result.issues).toEqual([]);
    expect(result.apps).toEqual([{ name: 'web', status: 'checked', resources: 1 }]);
  });

  it('reports a symbolic link instead of following it', async () => {
    const dir = await plainDir({
      'wheelhouse.yaml': 'apps:\n  - { name: web, path: apps/web }\n',
      'outside/secret.yaml': proc('x'),
      'apps/web/a.yaml': proc('api'),
    });
    await symlink(join(dir, 'outside/secret.yaml'), join(dir, 'apps/web/link.yaml'));
    const result = await validateControlRepo(dir, options);
    expect(result.issues).toEqual([
      {
        file: 'apps/web/link.yaml',
        line: 1,
        column: 1,
        path: '',
        message: expect.stringContaining('is a symbolic link'),
      },
    ]);
  });

  it('says what to do when the directory or wheelhouse.yaml is missing or too big', async () => {
    const empty = await tmp('empty');
    expect((await validateControlRepo(empty, options)).issues[0]?.message).toMatch(
      /^not found in .* — create it/,
    );
    await writeFile(join(empty, 'wheelhouse.yml'), 'apps: []\n');
    expect((await validateControlRepo(empty, options)).issues[0]?.message).toContain(
      'rename it to wheelhouse.yaml',
    );
    expect((await validateControlRepo(join(empty, 'nope'), options)).issues[0]?.message).toContain(
      'does not exist',
    );
    const big = await tmp('big');
    await mkdir(big, { recursive: true });
    await writeFile(join(big, 'wheelhouse.yaml'), `# ${'x'.repeat(17 * 1024 * 1024)}\n`);
    expect((await validateControlRepo(big, options)).issues[0]?.message).toBe(
      'is 17,825,795 bytes, over the 16 MiB limit — move apps into fewer, smaller entries',
    );
  });

  it('names the real size of a manifest over the limit (issue 12 item 18: 1.9 MiB was called "1.0 MiB")', async () => {
    const dir = await gitRepo({
      'wheelhouse.yaml': 'apps:\n  - { name: web, path: apps/web }\n',
      'apps/web/big.yaml': `# ${'x'.repeat(Math.round(1.9 * 1024 * 1024) - 3)}\n`,
    });
    const result = await validateControlRepo(dir, options);
    expect(result.issues.map((i) => `${i.file}: ${i.message}`)).toEqual([
      'apps/web/big.yaml: file is 1.9 MiB, over the 1 MiB limit for YAML files — split it into smaller files',
    ]);
  });
});

describe('validateControlRepo with the real driver kinds', () => {
  const tmp = tempDirs();

  it('refuses an env value holding NUL at its field (issue 12 item 18: it passed validate, then failed at every spawn)', async () => {
    const dir = await tmp('nul-env');
    await createRepo(dir, {
      'wheelhouse.yaml':
        'targets:\n  box: { driver: docker }\napps:\n  - { name: web, path: apps/web }\n  - { name: db, path: apps/db, target: box }\n',
      'apps/web/api.yaml':
        'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: api }\nspec:\n  command: [node, api.js]\n  env: { GREETING: "hi\\0there" }\n',
      'apps/db/db.yaml':
        'apiVersion: wheelhouse/v1\nkind: Container\nmetadata: { name: db }\nspec:\n  image: postgres\n  env: { PGDATA: "/x\\0" }\n',
    });
    const result = await validateControlRepo(dir, { kinds: createKindRegistry(), drivers: driverNames() });
    expect(result.issues).toEqual([
      expect.objectContaining({
        file: 'apps/db/db.yaml',
        line: 6,
        path: 'spec.env.PGDATA',
        message: expect.stringContaining('must not contain a NUL character'),
      }),
      expect.objectContaining({
        file: 'apps/web/api.yaml',
        line: 6,
        path: 'spec.env.GREETING',
        message: expect.stringContaining('must not contain a NUL character'),
      }),
    ]);
  });
});
