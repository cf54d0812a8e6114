// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files write ${VAR} literally
import { describe, expect, it } from 'vitest';
import type { SourceFile, ValidationIssue } from '../../../src/core/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { composeRenderer } from '../../../src/render/compose/index.js';
import { plainManifestRenderer, renderApp } from '../../../src/render/index.js';
import { shopApp } from './shop.js';

const app = (profiles?: string[]) => shopApp(profiles ? { compose: { profiles } } : {});

function render(tree: Record<string, string>, profiles?: string[]) {
  const files: SourceFile[] = Object.entries(tree).map(([path, text]) => ({
    path: `apps/shop/${path}`,
    content: Buffer.from(text),
  }));
  return renderApp({
    app: app(profiles),
    driver: 'docker',
    files,
    kinds: createKindRegistry(),
    renderers: [composeRenderer, plainManifestRenderer],
  });
}

const where = (i: ValidationIssue) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`;
const spec = (result: ReturnType<typeof render>, name: string) =>
  result.resources.find((r) => r.kind === 'Container' && r.metadata.name === name)?.spec;

const BASE = `services:
  web:
    image: web:\${TAG}
    environment:
      MODE: production
      LEVEL: info
    ports: ["8080:80"]
    volumes: ["data:/data", "/etc/a:/etc/app"]
    command: ["serve"]
volumes:
  data: {}
`;

describe('compose.override.yaml and .env, as docker compose reads them', () => {
  it('merges the override over the file: maps by key, mounts by target, ports add up, the rest replaced', () => {
    const result = render({
      'compose.yaml': BASE,
      '.env': 'TAG=1.2\n',
      'compose.override.yaml': `services:
  web:
    environment: ["LEVEL=debug"]
    ports: ["9229:9229"]
    volumes: ["/etc/b:/etc/app:ro"]
    command: ["serve", "--inspect"]
  debug:
    image: busybox
`,
    });
    expect(result.issues).toEqual([]);
    expect(spec(result, 'web')).toMatchObject({
      image: 'web:1.2',
      env: { MODE: 'production', LEVEL: 'debug' },
      command: ['serve', '--inspect'],
      ports: [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 9229, hostPort: 9229 },
      ],
      volumes: [
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'bind', source: '/etc/b', target: '/etc/app', readOnly: true },
      ],
    });
    expect(spec(result, 'debug')).toMatchObject({ image: 'busybox' });
  });

  it('reports a problem written in the override at its own file and line', () => {
    const result = render({
      'compose.yaml': BASE.replace('${TAG}', '1'),
      'compose.override.yaml': 'services:\n  web:\n    restart: sometimes\n',
    });
    expect(result.issues.map(where)).toEqual([
      'apps/shop/compose.override.yaml:3:14 services.web.restart: must be "no", always, unless-stopped, on-failure or on-failure:N',
    ]);
  });

  it('an override without its compose file is an error, not a manifest', () => {
    const result = render({ 'compose.override.yaml': 'services: {}\n' });
    expect(result.issues.map(where)).toEqual([
      'apps/shop/compose.override.yaml:1:1 : is an override file with no compose file beside it — add the compose.yaml it overrides, or rename it',
    ]);
  });
});

describe('extends', () => {
  it('merges the base service under the extending one, in chains, without its depends_on', () => {
    const result = render({
      'compose.yaml': `services:
  base:
    image: app:1
    environment: { A: "1", B: "1" }
    cap_add: [NET_ADMIN]
    depends_on: [db]
  worker:
    extends: base
    environment: { B: "2" }
  cron:
    extends: { service: worker }
    command: ["cron"]
  db:
    image: db
`,
    });
    expect(result.issues).toEqual([]);
    expect(spec(result, 'cron')).toMatchObject({
      image: 'app:1',
      env: { A: '1', B: '2' },
      capAdd: ['NET_ADMIN'],
      command: ['cron'],
    });
    expect(result.resources.find((r) => r.metadata.name === 'cron')?.wave).toBe(0);
  });

  it('reports a missing base, a cycle and a missing extends.file once each', () => {
    const result = render({
      'compose.yaml': `services:
  a:
    image: a
    extends: nowhere
  b:
    image: b
    extends: c
  c:
    image: c
    extends: b
  d:
    image: d
    extends: { file: common.yaml, service: x }
`,
    });
    expect(result.issues.map(where)).toEqual([
      'apps/shop/compose.yaml:4:14 services.a.extends: extends "nowhere", which is not a service in this file',
      'apps/shop/compose.yaml:10:14 services.c.extends: extends forms a cycle through "b" — remove one of the extends',
      'apps/shop/compose.yaml:13:22 services.d.extends.file: extends a service of "common.yaml", which is not among the app\'s files at the synced revision (looked for apps/shop/common.yaml) — Wheelhouse reads the files under the app\'s path: commit it there, or fix the path (relative to this file)',
    ]);
  });
});

describe('profiles', () => {
  const FILE = `services:
  web:
    image: web
  debug:
    image: busybox
    profiles: [debug]
  admin:
    image: admin
    profiles: [tools, debug]
`;

  it('runs services without profiles always, the others only when the app enables one of theirs', () => {
    const names = (profiles?: string[]) =>
      render({ 'compose.yaml': FILE }, profiles).resources.map((r) => `${r.kind}/${r.metadata.name}`);
    expect(names()).toEqual(['Container/web', 'Network/default']);
    expect(names(['tools'])).toEqual(['Container/admin', 'Container/web', 'Network/default']);
    expect(names(['debug'])).toEqual([
      'Container/admin',
      'Container/debug',
      'Container/web',
      'Network/default',
    ]);
  });

  it('a running service that depends on one left out is reported once, at the dependency', () => {
    const result = render({
      'compose.yaml': FILE.replace(
        '  web:\n    image: web\n',
        '  web:\n    image: web\n    depends_on: [debug]\n',
      ),
    });
    expect(result.issues.map(where)).toEqual([
      'apps/shop/compose.yaml:4:18 services.web.depends_on[0]: depends on "debug", which runs only with profile debug — enable it in the app\'s compose.profiles in wheelhouse.yaml, or remove the dependency',
    ]);
  });
});
