import { describe, expect, it } from 'vitest';
import type { AppSpec, SourceFile } from '../../src/core/index.js';
import { type Renderer, renderApp } from '../../src/render/index.js';
import { testKindRegistry } from '../support/kinds.js';

const app = (overrides: Partial<AppSpec> = {}): AppSpec => ({
  name: 'web',
  path: 'apps/web',
  target: 'local',
  environment: 'dev',
  intervalMs: 30_000,
  sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
  source: { repo: '/control', ref: 'main', protected: false },
  sourceIsControlRepo: true,
  ...overrides,
});

const files = (tree: Record<string, string>): SourceFile[] =>
  Object.entries(tree).map(([path, text]) => ({ path, content: Buffer.from(text) }));

const processDoc = (name: string, extra = '') =>
  `apiVersion: wheelhouse/v1\nkind: Process\nmetadata:\n  name: ${name}\n${extra}spec:\n  command: [node, server.js]\n`;

const render = (tree: Record<string, string>, overrides: Partial<AppSpec> = {}, driver = 'process') =>
  renderApp({ app: app(overrides), driver, files: files(tree), kinds: testKindRegistry() });

describe('renderApp: plain manifests', () => {
  it('renders every YAML file recursively, validated and defaulted by the kind', () => {
    const { resources, issues } = render({
      'apps/web/api.yaml': processDoc('api'),
      'apps/web/nested/deeper/worker.yml': processDoc('worker'),
      'apps/web/README.md': '# not a manifest',
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => r.key)).toEqual(['local/Process/web/api', 'local/Process/web/worker']);
    const api = resources[0];
    expect(api).toMatchObject({
      apiVersion: 'wheelhouse/v1',
      kind: 'Process',
      app: 'web',
      target: 'local',
      namespace: 'web',
      wave: 0,
      spec: { command: ['node', 'server.js'], replicas: 1 },
      origin: { file: 'apps/web/api.yaml', line: 1, column: 1 },
    });
    expect(api?.hook).toBeUndefined();
  });

  it('reads several documents per file and skips empty ones', () => {
    const { resources, issues } = render({
      'apps/web/all.yaml': `---\n${processDoc('a')}---\n# nothing here\n---\n${processDoc('b')}---\n`,
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => [r.metadata.name, r.origin?.line])).toEqual([
      ['a', 2],
      ['b', 11],
    ]);
  });

  it('ignores any path segment starting with a dot below the app path', () => {
    const { resources, issues } = render({
      'apps/web/.hidden.yaml': processDoc('hidden'),
      'apps/web/.config/x.yaml': processDoc('config'),
      'apps/web/sub/.draft/y.yaml': 'not: [valid',
      'apps/web/ok.yaml': processDoc('ok'),
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => r.metadata.name)).toEqual(['ok']);
  });

  it('works for an app at the repo root and ignores files outside the app path', () => {
    const root = render(
      { 'svc.yaml': processDoc('svc'), '.github/ci.yaml': 'x: [', 'wheelhouse.yaml': 'apps: []\n' },
      { path: '.' },
    );
    expect(root.issues).toEqual([]);
    expect(root.resources.map((r) => r.metadata.name)).toEqual(['svc']);
    const scoped = render({ 'apps/other/x.yaml': processDoc('x'), 'apps/webby/y.yaml': processDoc('y') });
    expect(scoped.resources).toEqual([]);
  });

  it('gives the same output for the same files in any order', () => {
    const tree = { 'apps/web/b.yaml': processDoc('zeta'), 'apps/web/a.yaml': processDoc('alpha') };
    const forward = render(tree);
    const backward = renderApp({
      app: app(),
      driver: 'process',
      files: files(tree).reverse(),
      kinds: testKindRegistry(),
    });
    expect(backward).toEqual(forward);
    expect(forward.resources.map((r) => r.metadata.name)).toEqual(['alpha', 'zeta']);
  });

  it('uses metadata.namespace when given', () => {
    const { resources } = render({ 'apps/web/a.yaml': processDoc('api', '  namespace: shared\n') });
    expect(resources[0]?.key).toBe('local/Process/shared/api');
    expect(resources[0]?.namespace).toBe('shared');
  });
});

describe('renderApp: waves and hooks', () => {
  it('reads the wave annotation (text or number) and the hook from the kind', () => {
    const { resources, issues } = render({
      'apps/web/a.yaml': processDoc('late', '  annotations:\n    wheelhouse/wave: "2"\n'),
      'apps/web/b.yaml': processDoc('early', '  annotations: { wheelhouse/wave: -1 }\n'),
      'apps/web/jobs.yaml':
        'apiVersion: wheelhouse/v1\nkind: Job\nmetadata: { name: migrate }\nspec: { command: [migrate] }\n---\n' +
        'apiVersion: wheelhouse/v1\nkind: Job\nmetadata: { name: smoke }\nspec: { command: [smoke], phase: PostSync }\n',
    });
    expect(issues).toEqual([]);
    const byName = Object.fromEntries(resources.map((r) => [r.metadata.name, r]));
    expect(byName.late?.wave).toBe(2);
    expect(byName.early?.wave).toBe(-1);
    expect(byName.migrate?.hook).toBe('PreSync');
    expect(byName.smoke?.hook).toBe('PostSync');
    expect(byName.late?.hook).toBeUndefined();
  });

  it('reports a wave that is not a whole number at the annotation', () => {
    const { resources, issues } = render({
      'apps/web/a.yaml': processDoc('api', '  annotations:\n    wheelhouse/wave: soon\n'),
    });
    expect(resources).toEqual([]);
    expect(issues).toEqual([
      {
        file: 'apps/web/a.yaml',
        line: 6,
        column: 22,
        path: 'metadata.annotations["wheelhouse/wave"]',
        message: expect.stringContaining('must be a whole number'),
      },
    ]);
  });
});

describe('renderApp: errors', () => {
  it('names an unknown kind with a suggestion and the kinds available', () => {
    const { issues } = render({
      'apps/web/a.yaml': 'apiVersion: wheelhouse/v1\nkind: Proces\nmetadata: {name: a}\n',
    });
    expect(issues).toEqual([
      {
        file: 'apps/web/a.yaml',
        line: 2,
        column: 7,
        path: 'kind',
        message: 'unknown kind "Proces" — did you mean "Process"?',
      },
    ]);
    const far = render({
      'apps/web/a.yaml': 'apiVersion: wheelhouse/v1\nkind: Deployment\nmetadata: {name: a}\n',
    });
    expect(far.issues[0]?.message).toBe(
      'unknown kind "Deployment" — kinds for driver process: File, Process, Job, CIJob',
    );
  });

  it('says which driver serves a kind the target does not', () => {
    const { resources, issues } = render({
      'apps/web/c.yaml':
        'apiVersion: wheelhouse/v1\nkind: Container\nmetadata: {name: db}\nspec: {image: postgres}\n',
    });
    expect(resources).toEqual([]);
    expect(issues[0]?.message).toBe(
      'kind Container is served by driver docker; app web targets local (driver process) — move it to an app whose target uses docker',
    );
    expect(issues[0]).toMatchObject({ line: 2, column: 7, path: 'kind' });
  });

  it('reports a duplicate identity across two files at both locations', () => {
    const { resources, issues } = render({
      'apps/web/a.yaml': processDoc('api'),
      'apps/web/b/c.yaml': `# comment\n${processDoc('api')}`,
    });
    expect(resources).toHaveLength(1);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({ file: 'apps/web/a.yaml', line: 1, column: 1 });
    expect(issues[0]?.message).toContain('Process "api" is defined twice (also at apps/web/b/c.yaml:2:1)');
    expect(issues[1]).toMatchObject({ file: 'apps/web/b/c.yaml', line: 2, column: 1 });
    expect(issues[1]?.message).toContain('(also at apps/web/a.yaml:1:1)');
  });

  it('maps spec issues from the kind to line:column', () => {
    const { issues } = render({
      'apps/web/a.yaml':
        'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: {name: api}\nspec:\n  command: node\n  replicas: -1\n',
    });
    expect(issues).toEqual([
      {
        file: 'apps/web/a.yaml',
        line: 5,
        column: 12,
        path: 'spec.command',
        message: expect.stringContaining('command'),
      },
      {
        file: 'apps/web/a.yaml',
        line: 6,
        column: 13,
        path: 'spec.replicas',
        message: expect.stringContaining('replicas'),
      },
    ]);
  });

  it('checks the envelope: apiVersion, metadata, names, unknown keys', () => {
    const { resources, issues } = render({
      'apps/web/a.yaml':
        'apiVersion: v1\nkind: Process\nmetadata: {name: Bad_Name, labels: {a: [1]}}\nspecs: {}\n---\nkind: Process\n',
    });
    expect(resources).toEqual([]);
    expect(issues.map((i) => [i.line, i.path, i.message.split(' — ')[0]])).toEqual([
      [1, 'apiVersion', 'must be wheelhouse/v1, not "v1"'],
      [3, 'metadata.name', '"Bad_Name" is not a valid name'],
      [3, 'metadata.labels.a', 'labels values must be text'],
      [4, 'specs', 'unknown key "specs"'],
      [6, 'apiVersion', 'is required'],
      [6, 'metadata', 'is required'],
    ]);
    expect(issues[3]?.message).toContain('did you mean "spec"?');
  });

  it('reports YAML problems in manifests and keeps rendering the other files', () => {
    const { resources, issues } = render({
      'apps/web/bad.yaml': 'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: {name: x\n',
      'apps/web/bomb.yaml': `${'['.repeat(1000)}${']'.repeat(1000)}`,
      'apps/web/latin1.yaml': Buffer.from('name: caf\xe9\n', 'latin1').toString('latin1'),
      'apps/web/good.yaml': processDoc('good'),
    });
    expect(resources.map((r) => r.metadata.name)).toEqual(['good']);
    expect(issues.map((i) => i.file)).toEqual(
      expect.arrayContaining(['apps/web/bad.yaml', 'apps/web/bomb.yaml']),
    );
    expect(issues.find((i) => i.file === 'apps/web/bomb.yaml')?.message).toContain('deeper than 64');
  });

  it('refuses non-UTF-8 bytes in a manifest', () => {
    const { issues } = renderApp({
      app: app(),
      driver: 'process',
      files: [{ path: 'apps/web/x.yaml', content: Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a]) }],
      kinds: testKindRegistry(),
    });
    expect(issues).toEqual([
      {
        file: 'apps/web/x.yaml',
        line: 1,
        column: 4,
        path: '',
        message: expect.stringContaining('not valid UTF-8'),
      },
    ]);
  });
});

describe('renderApp: renderers', () => {
  it('lets an earlier renderer claim files first and turns a renderer crash into an issue', () => {
    const claimed: Renderer = {
      name: 'compose-like',
      claims: (path) => path.endsWith('compose.yaml'),
      render: (file) => ({
        documents: [
          {
            resource: {
              apiVersion: 'wheelhouse/v1',
              kind: 'Process',
              metadata: { name: 'from-compose' },
              spec: { command: ['x'] },
            },
            origin: { file: file.path, line: 1, column: 1 },
          },
        ],
        issues: [],
      }),
    };
    const crashing: Renderer = {
      name: 'crashing',
      claims: (path) => path.endsWith('.crash'),
      render: () => {
        throw new Error('boom');
      },
    };
    const result = renderApp({
      app: app(),
      driver: 'process',
      files: files({ 'apps/web/compose.yaml': 'not: a manifest', 'apps/web/a.crash': '' }),
      kinds: testKindRegistry(),
      renderers: [claimed, crashing],
    });
    expect(result.resources.map((r) => r.metadata.name)).toEqual(['from-compose']);
    expect(result.issues).toEqual([
      {
        file: 'apps/web/a.crash',
        line: 1,
        column: 1,
        path: '',
        message: expect.stringContaining('crashing renderer failed'),
      },
    ]);
  });
});
