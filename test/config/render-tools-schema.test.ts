import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';

const parse = (apps: string) =>
  parseControlConfig({
    text: `targets:\n  prod: { driver: kubernetes }\napps:\n${apps}`,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: ['process', 'kubernetes'],
  });

describe('wheelhouse.yaml: kustomize and helm entries', () => {
  it('builds the entries without absent fields', () => {
    const { config, issues } = parse(`  - name: web
    path: apps/web/overlays/prod
    target: prod
    kustomize: { root: ./apps/web/ }
  - name: api
    path: charts/api
    target: prod
    helm:
      valueFiles: [envs/prod/values.yaml]
      values: { replicas: 2, image: { tag: "1.4" } }
  - name: redis
    path: apps/redis
    target: prod
    helm: { repository: "https://charts.example.com", chart: redis, version: ^18.0.0, releaseName: cache }
`);
    expect(issues.map(formatIssue)).toEqual([]);
    expect(config?.apps.map((a) => [a.kustomize, a.helm])).toEqual([
      [{ root: 'apps/web' }, undefined],
      [undefined, { valueFiles: ['envs/prod/values.yaml'], values: { replicas: 2, image: { tag: '1.4' } } }],
      [
        undefined,
        {
          repository: 'https://charts.example.com',
          chart: 'redis',
          version: '^18.0.0',
          releaseName: 'cache',
        },
      ],
    ]);
  });

  it('says how to fix a chart without its repository, version or name, and a mistyped key', () => {
    const { issues } = parse(`  - name: a
    path: a
    helm: { chart: redis }
  - name: b
    path: b
    helm: { repository: "https://charts.example.com", chart: redis }
  - name: c
    path: c
    helm: { repository: "ftp://charts", version: 1.0.0 }
  - name: d
    path: d
    helm: { valuesFiles: [x.yaml] }
  - name: e
    path: e
    kustomize: {}
    helm: {}
`);
    const text = issues.map(formatIssue).join('\n');
    expect(text).toContain('a chart by name needs `repository:`');
    expect(text).toContain('needs a pinned `version:`');
    expect(text).toContain('must be a chart repository URL');
    expect(text).toContain('unknown key "valuesFiles" — did you mean "valueFiles"?');
    expect(text).toContain('renders with kustomize or helm, not both');
    expect(issues.every((i) => i.file === 'wheelhouse.yaml' && i.line > 1)).toBe(true);
  });
});
