import { describe, expect, it } from 'vitest';
import type { AppSpec, SourceFile } from '../../../src/core/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { renderApp } from '../../../src/render/index.js';

/** Plain Kubernetes manifests through the generic render layer (the driver's ForeignManifests). */
const app = (overrides: Partial<AppSpec> = {}): AppSpec => ({
  name: 'shop',
  path: 'apps/shop',
  target: 'prod',
  environment: 'prod',
  intervalMs: 30_000,
  sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
  source: { repo: '/control', ref: 'main', protected: false },
  sourceIsControlRepo: true,
  ...overrides,
});

const files = (tree: Record<string, string>): SourceFile[] =>
  Object.entries(tree).map(([path, text]) => ({ path, content: Buffer.from(text) }));

const render = (tree: Record<string, string>, overrides: Partial<AppSpec> = {}) =>
  renderApp({
    app: app(overrides),
    driver: 'kubernetes',
    files: files(tree),
    kinds: createKindRegistry(),
    targetOptions: { namespace: 'shop' },
  });

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { tier: front }
  annotations: { wheelhouse/wave: "2" }
spec:
  replicas: 3
  template: { spec: { containers: [{ name: web, image: nginx }] } }
`;

describe('render: Kubernetes manifests for a kubernetes target', () => {
  it('keeps the whole object, keys it by Kind.group and defaults the namespace from the target', () => {
    const { resources, issues } = render({
      'apps/shop/web.yaml': deployment,
      'apps/shop/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
      'apps/shop/other.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web, namespace: other }\ndata: { a: "1" }\n',
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => r.key)).toEqual([
      'prod/ConfigMap/other/web',
      'prod/Deployment.apps/shop/web',
      'prod/Namespace//shop',
    ]);
    const web = resources.find((r) => r.kind === 'Deployment');
    expect(web).toMatchObject({
      apiVersion: 'apps/v1',
      namespace: 'shop',
      wave: 2,
      origin: { file: 'apps/shop/web.yaml', line: 1 },
      spec: {
        metadata: { labels: { tier: 'front' }, annotations: { 'wheelhouse/wave': '2' } },
        spec: { replicas: 3 },
      },
    });
    expect(web?.spec.metadata).not.toHaveProperty('name');
    expect(resources.find((r) => r.kind === 'Namespace')?.namespace).toBe('');
  });

  it('tells same-named kinds of different groups apart', () => {
    const { resources, issues } = render({
      'apps/shop/a.yaml': 'apiVersion: example.com/v1\nkind: Service\nmetadata: { name: web }\n',
      'apps/shop/b.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n',
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => r.key)).toEqual([
      'prod/Service.example.com/shop/web',
      'prod/Service/shop/web',
    ]);
  });

  it('checks the envelope with positions, not the kind (the cluster decides at apply)', () => {
    const { resources, issues } = render({
      'apps/shop/bad.yaml': 'apiVersion: v1\nkind: configmap\nmetadata: { name: Web_1 }\n',
      'apps/shop/status.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nstatus: { phase: Running }\n',
      'apps/shop/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: x, namespace: y }\n',
      'apps/shop/anything.yaml': 'apiVersion: made.up/v9\nkind: Whatever\nmetadata: { name: fine }\n',
    });
    expect(resources.map((r) => r.key)).toEqual(['prod/Whatever.made.up/shop/fine']);
    expect(issues.map((i) => `${i.file}:${i.line} ${i.path}`)).toEqual([
      'apps/shop/bad.yaml:2 kind',
      'apps/shop/bad.yaml:3 metadata.name',
      'apps/shop/ns.yaml:3 metadata.namespace',
      'apps/shop/status.yaml:4 status',
    ]);
  });

  it('reads hooks and secretEnv, and rejects secretEnv elsewhere', () => {
    const { resources, issues } = render({
      'apps/shop/job.yaml':
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations: { wheelhouse/hook: PreSync }\nspec: {}\n',
      'apps/shop/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nsecretEnv: { PASSWORD: { fromEnv: DB_PASSWORD } }\n',
      'apps/shop/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\nsecretEnv: { A: { fromEnv: B } }\n',
    });
    expect(resources.find((r) => r.kind === 'Job')?.hook).toBe('PreSync');
    expect(resources.find((r) => r.kind === 'Secret')?.spec.secretEnv).toEqual({
      PASSWORD: { fromEnv: 'DB_PASSWORD' },
    });
    expect(issues.map((i) => `${i.file} ${i.message}`)).toEqual([
      'apps/shop/cm.yaml secretEnv is for v1 Secrets only; remove it',
    ]);
  });

  it('leaves out the fields ignoreDifferences names, for matching objects only', () => {
    const { resources, issues } = render(
      {
        'apps/shop/web.yaml': deployment,
        'apps/shop/api.yaml': deployment.replace('name: web', 'name: api'),
      },
      {
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', name: 'web', jsonPointers: ['/spec/replicas'] },
        ],
      },
    );
    expect(issues).toEqual([]);
    const spec = (name: string) => resources.find((r) => r.metadata.name === name)?.spec.spec;
    expect(spec('web')).not.toHaveProperty('replicas');
    expect(spec('api')).toMatchObject({ replicas: 3 });
  });
});
