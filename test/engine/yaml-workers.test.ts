import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/core/index.js';
import type { createYamlWorkers as Create } from '../../src/engine/yaml-workers.js';
import { manifestYamlInput, parseYaml } from '../../src/render/index.js';
import { capturingLogger } from '../drivers/process/support.js';
import { ensureBuilt, ROOT } from '../support/build.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

// The worker is a module of the build (a test runner's TypeScript sources cannot be a worker's
// entry), so this runs the built pool, as `wheelhouse up` does.
const tmp = tempDirs();
let createYamlWorkers: typeof Create;
beforeAll(async () => {
  await ensureBuilt();
  const built = pathToFileURL(join(ROOT, 'dist', 'src', 'engine', 'yaml-workers.js')).href;
  ({ createYamlWorkers } = (await import(built)) as { createYamlWorkers: typeof Create });
}, 300_000);

const file = (path: string, text: string): SourceFile => ({ path, content: Buffer.from(text) });

const good = file(
  'apps/api/m.yaml',
  'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: a }\nspec:\n  path: a.txt\n  content: "x"\n---\n# only a comment\n---\nkind: File\nmetadata:\n  name: b\n',
);
const broken = file('apps/api/broken.yml', 'kind: File\nspec: { path: [a\n');
const notYaml = file('apps/api/README.md', '# not parsed');

describe('YAML parse workers', () => {
  it('parse manifests on a worker exactly as the engine thread would, positions included', async () => {
    const { log, lines } = capturingLogger();
    const workers = createYamlWorkers(log, 1);
    try {
      const parsed = await workers.parseManifests([good, broken, notYaml]);
      expect([...parsed.keys()].map((f) => f.path)).toEqual([good.path, broken.path]);
      for (const source of [good, broken]) {
        const here = parseYaml(manifestYamlInput(source));
        const there = parsed.get(source);
        expect(there?.issues).toEqual(here.issues);
        expect(there?.documents.map(({ locate: _l, ...d }) => d)).toEqual(
          here.documents.map(({ locate: _l, ...d }) => d),
        );
      }
      // `locate` (asked only to report an error) gives the same line and column.
      const [first, , third] = parsed.get(good)?.documents ?? [];
      const [hereFirst, , hereThird] = parseYaml(manifestYamlInput(good)).documents;
      expect(first?.locate(['spec', 'content'])).toEqual(hereFirst?.locate(['spec', 'content']));
      expect(third?.locate(['metadata', 'name'], 'key')).toEqual({ line: 12, column: 3 });
      expect(third?.locate(['metadata', 'name'], 'key')).toEqual(
        hereThird?.locate(['metadata', 'name'], 'key'),
      );
      expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    } finally {
      await workers.close();
    }
  });

  it('leave the parsing to the engine thread once closed, or when told to use none', async () => {
    const { log } = capturingLogger();
    const closed = createYamlWorkers(log, 1);
    await closed.close();
    expect((await closed.parseManifests([good])).size).toBe(0);
    const none = createYamlWorkers(log, 0);
    expect((await none.parseManifests([good])).size).toBe(0);
  });

  it('start their worker when warmed, before anything is parsed', async () => {
    const dir = await tmp('warm');
    const module = join(dir, 'marks.mjs');
    const marker = join(dir, 'loaded');
    await writeFile(
      module,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'yes');\n`,
    );
    const { log } = capturingLogger();
    const workers = createYamlWorkers(log, 1, pathToFileURL(module));
    try {
      workers.warm();
      await waitFor('the worker to load its module', () => existsSync(marker) || undefined);
    } finally {
      await workers.close();
    }
  });

  it('parse on the engine thread from then on when a worker exits, without leaving a caller waiting', async () => {
    const dir = await tmp('worker');
    const module = join(dir, 'exits.mjs');
    // Answers the first request (with nothing), then exits while idle.
    await writeFile(
      module,
      "import { parentPort } from 'node:worker_threads';\n" +
        "parentPort.once('message', (m) => { parentPort.postMessage({ id: m.id, results: [] }); setTimeout(() => process.exit(3), 10); });\n",
    );
    const { log, lines } = capturingLogger();
    const workers = createYamlWorkers(log, 1, pathToFileURL(module));
    try {
      expect((await workers.parseManifests([good])).size).toBe(0);
      await waitFor('the worker to exit', () => lines.find((l) => l.startsWith('warn')));
      expect((await workers.parseManifests([good])).size).toBe(0);
      const warnings = lines.filter((l) => l.startsWith('warn'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('the parse worker exited with code 3');
    } finally {
      await workers.close();
    }
  });
});
