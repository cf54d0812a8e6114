// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files write ${VAR} literally
import { describe, expect, it } from 'vitest';
import type { SourceFile, ValidationIssue } from '../../../src/core/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { composeRenderer } from '../../../src/render/compose/index.js';
import { plainManifestRenderer, renderApp } from '../../../src/render/index.js';
import { shopApp } from './shop.js';

/** Renders a repository whose `apps/shop` is the app; paths are repository paths. */
function render(tree: Record<string, string>) {
  const files: SourceFile[] = Object.entries(tree).map(([path, text]) => ({
    path,
    content: Buffer.from(text),
  }));
  return renderApp({
    app: shopApp(),
    driver: 'docker',
    files,
    kinds: createKindRegistry(),
    renderers: [composeRenderer, plainManifestRenderer],
  });
}

const where = (i: ValidationIssue) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`;
const resource = (result: ReturnType<typeof render>, kind: string, name: string) =>
  result.resources.find((r) => r.kind === kind && r.metadata.name === name);

describe('include', () => {
  it('copies the included projects in, each with its own directory and .env', () => {
    const result = render({
      'apps/shop/compose.yaml': `include:
  - db/compose.yaml
  - path: shared/cache.yaml
    env_file: cache.env
services:
  web:
    image: web:\${TAG}
    depends_on: [db]
    volumes: ["./web.conf:/etc/web.conf:ro"]
`,
      'apps/shop/.env': 'TAG=1\n',
      'apps/shop/web.conf': 'w\n',
      'apps/shop/cache.env': 'CACHE_TAG=7\n',
      'apps/shop/db/compose.yaml': `services:
  db:
    image: db:\${TAG}
    env_file: db.env
    volumes: ["./init.sql:/init.sql:ro", "db_data:/var/lib/db"]
    secrets: [db_password]
volumes:
  db_data: {}
secrets:
  db_password:
    file: ./password.txt
`,
      'apps/shop/db/.env': 'TAG=15\n',
      'apps/shop/db/db.env': 'DB_USER=shop\n',
      'apps/shop/db/init.sql': 'select 1;\n',
      'apps/shop/db/password.txt': 'pw\n',
      'apps/shop/shared/cache.yaml': `services:
  cache:
    image: cache:\${CACHE_TAG}
    build: ./cache
`,
      'apps/shop/shared/cache/Dockerfile': 'FROM busybox\n',
    });
    expect(result.issues.map(where)).toEqual([]);
    expect(resource(result, 'Container', 'web')?.spec).toMatchObject({ image: 'web:1' });
    expect(resource(result, 'Container', 'db')?.spec).toMatchObject({
      image: 'db:15',
      env: { DB_USER: 'shop' },
      volumes: [
        { type: 'repo', source: 'apps/shop/db/init.sql', target: '/init.sql', readOnly: true },
        { type: 'volume', source: 'db-data', target: '/var/lib/db' },
        { type: 'repo', source: 'apps/shop/db/password.txt', target: '/run/secrets/db_password' },
      ],
    });
    expect(resource(result, 'Container', 'cache')?.spec).toMatchObject({
      image: 'cache:7',
      build: { context: 'apps/shop/shared/cache' },
    });
    expect(resource(result, 'Volume', 'db-data')).toBeDefined();
    // The included db/compose.yaml is not rendered a second time as a project of its own.
    expect(result.resources.filter((r) => r.metadata.name === 'db')).toHaveLength(1);
  });

  it('reports a conflict, a missing file and a cycle at their own lines, once each', () => {
    const result = render({
      'apps/shop/compose.yaml': `include:
  - db.yaml
  - missing.yaml
  - oci://registry.example/shop/db:1
services:
  db:
    image: db:1
`,
      'apps/shop/db.yaml': `include: [compose.yaml]
services:
  db:
    image: db:2
`,
    });
    expect(result.issues.map(where)).toEqual([
      'apps/shop/compose.yaml:3:5 include[1]: the included file "missing.yaml" is not among the app\'s files at the synced revision (looked for apps/shop/missing.yaml) — Wheelhouse reads the files under the app\'s path: commit it there, or fix the path (relative to this file)',
      'apps/shop/compose.yaml:4:5 include[2]: the included file "oci://registry.example/shop/db:1" is remote — Wheelhouse deploys what is in Git: commit a copy under the app\'s path and include that',
      'apps/shop/db.yaml:1:11 include[0]: includes apps/shop/compose.yaml, which is already being included (apps/shop/compose.yaml -> apps/shop/db.yaml -> apps/shop/compose.yaml) — remove one of the include entries',
      'apps/shop/db.yaml:3:3 services.db: service "db" is also defined in apps/shop/compose.yaml — included files are not merged: rename one of them, or remove it',
    ]);
  });
});

describe('extends with file:', () => {
  it('starts from a service of another file, its relative paths still beside that file', () => {
    const result = render({
      'apps/shop/compose.yaml': 'include: [web/compose.yaml]\n',
      'apps/shop/web/compose.yaml': `services:
  web:
    extends:
      file: ../common/services.yaml
      service: app
    image: web:1
    environment: { ROLE: web }
`,
      'apps/shop/common/services.yaml': `services:
  base:
    environment: { LEVEL: info }
    volumes: ["./base.conf:/etc/base.conf:ro"]
  app:
    extends: base
    env_file: app.env
    build: { context: ./app }
`,
      'apps/shop/common/base.conf': 'b\n',
      'apps/shop/common/app.env': 'FROM_FILE=1\n',
      'apps/shop/common/app/Dockerfile': 'FROM busybox\n',
    });
    expect(result.issues.map(where)).toEqual([]);
    expect(resource(result, 'Container', 'web')?.spec).toMatchObject({
      image: 'web:1',
      env: { LEVEL: 'info', ROLE: 'web', FROM_FILE: '1' },
      volumes: [
        { type: 'repo', source: 'apps/shop/common/base.conf', target: '/etc/base.conf', readOnly: true },
      ],
      build: { context: 'apps/shop/common/app' },
    });
  });

  it('reports a missing file, a missing service and a cycle across files', () => {
    const result = render({
      'apps/shop/compose.yaml': `services:
  a:
    image: a
    extends: { file: nowhere.yaml, service: x }
  b:
    image: b
    extends: { file: other.yaml, service: nope }
  c:
    image: c
    extends: { file: other.yaml, service: loop }
`,
      'apps/shop/other.yaml': `services:
  loop:
    extends: { file: compose.yaml, service: c }
`,
    });
    expect(result.issues.map(where)).toEqual([
      'apps/shop/compose.yaml:4:22 services.a.extends.file: extends a service of "nowhere.yaml", which is not among the app\'s files at the synced revision (looked for apps/shop/nowhere.yaml) — Wheelhouse reads the files under the app\'s path: commit it there, or fix the path (relative to this file)',
      'apps/shop/compose.yaml:7:43 services.b.extends.service: extends "nope", which is not a service of apps/shop/other.yaml',
      'apps/shop/other.yaml:3:22 services.loop.extends.file: extends forms a cycle through apps/shop/compose.yaml -> apps/shop/other.yaml -> apps/shop/compose.yaml — remove one of the extends',
    ]);
  });
});
