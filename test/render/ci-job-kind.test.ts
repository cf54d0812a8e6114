// Issue 21: `kind: CIJob` is an engine kind — the same hook for every driver's apps, also among
// a platform's own (Kubernetes) manifests.
import { describe, expect, it } from 'vitest';
import { validateControlRepo } from '../../src/config/index.js';
import { formatIssue, type SourceFile } from '../../src/core/index.js';
import { createKindRegistry, driverNames } from '../../src/drivers/index.js';
import { renderApp } from '../../src/render/index.js';
import { appSpec } from '../support/control-config.js';
import { createRepo } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const app = appSpec('shop', 'prod', { target: 'prod' });

const CI_JOB = `apiVersion: wheelhouse/v1
kind: CIJob
metadata: { name: e2e }
spec:
  ci: gha
  job: e2e.yml
  params: { ENV: prod }
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec: { containers: [{ name: shop, image: "shop:1" }] }
`;

const render = (driver: string, tree: Record<string, string>, ciServers = ['gha']) =>
  renderApp({
    app,
    driver,
    files: Object.entries(tree).map(([path, text]): SourceFile => ({ path, content: Buffer.from(text) })),
    kinds: createKindRegistry(),
    targetOptions: { namespace: 'shop' },
    ciServers,
  });

describe('CIJob in every driver', () => {
  it.each(['process', 'docker', 'kubernetes'])(
    'is a PostSync hook with defaults for the %s driver',
    (driver) => {
      const { resources, issues } = render(driver, { 'apps/shop/e2e.yaml': CI_JOB });
      expect(issues).toEqual([]);
      expect(resources).toHaveLength(1);
      expect(resources[0]).toMatchObject({
        kind: 'CIJob',
        hook: 'PostSync',
        key: 'prod/CIJob/shop/e2e',
        spec: {
          ci: 'gha',
          job: 'e2e.yml',
          params: { ENV: 'prod' },
          phase: 'PostSync',
          timeout: '30m',
          timeoutMs: 1_800_000,
        },
      });
    },
  );

  it('sits beside Kubernetes objects, which keep their own envelope', () => {
    const { resources, issues } = render('kubernetes', {
      'apps/shop/all.yaml': `${DEPLOYMENT}---\n${CI_JOB}`,
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => [r.key, r.hook ?? 'Sync'])).toEqual([
      ['prod/CIJob/shop/e2e', 'PostSync'],
      ['prod/Deployment.apps/shop/shop', 'Sync'],
    ]);
  });

  it('locates a bad timeout and an undeclared server', () => {
    const { issues } = render(
      'kubernetes',
      {
        'apps/shop/e2e.yaml': CI_JOB.replace('ci: gha', 'ci: jenkins').replace(
          'job: e2e.yml',
          'job: e2e.yml\n  timeout: soon',
        ),
      },
      [],
    );
    expect(issues.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`)).toEqual([
      'apps/shop/e2e.yaml:5 spec.ci: there is no CI server called jenkins: wheelhouse.yaml declares none; add it under ci: (see docs/ci.md)',
      'apps/shop/e2e.yaml:7 spec.timeout: "soon" is not a duration — write a number with a unit, e.g. 30s, 5m, 1h or 1h30m (units: ms, s, m, h, d)',
    ]);
  });
});

describe('CIJob in `wheelhouse validate`', () => {
  const tmp = tempDirs();

  it('checks `ci` against the servers wheelhouse.yaml declares, at the file and line', async () => {
    const dir = await tmp('control');
    await createRepo(dir, {
      'wheelhouse.yaml': `apps:\n  - { name: shop, path: apps/shop }\nci:\n  gha: { type: github-actions, repo: acme/shop, tokenEnv: GH_TOKEN }\n`,
      'apps/shop/good.yaml': CI_JOB,
      'apps/shop/bad.yaml': CI_JOB.replace('name: e2e', 'name: smoke').replace('ci: gha', 'ci: gh'),
    });
    const result = await validateControlRepo(dir, { kinds: createKindRegistry(), drivers: driverNames() });
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^apps\/shop\/bad\.yaml:5:7 .*there is no CI server called gh — did you mean gha\?/,
      ),
    ]);
  });
});
