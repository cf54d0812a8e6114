import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelmSpec } from '../../../src/core/index.js';
import { helmRenderer, renderWithTool } from '../../../src/render/index.js';
import { startChartRepository } from '../../support/chart-repository.js';
import { appSpec as specOf } from '../../support/control-config.js';
import { type FileTree, writeTree } from '../../support/git.js';
import { helmBinary, helmMissing, toolOptions } from '../../support/render-tools.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();

const job = (name: string, hook: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations: { helm.sh/hook: "${hook}" }
spec:
  template:
    spec: { restartPolicy: Never, containers: [{ name: run, image: "run:1" }] }
`;

const chart: FileTree = {
  'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
  'charts/api/values.yaml': 'greeting: default\n',
  'charts/api/templates/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: "{{ .Release.Name }}-config", namespace: "{{ .Release.Namespace }}" }
data: { greeting: "{{ .Values.greeting }}" }
`,
  'charts/api/templates/migrate.yaml': job('migrate', 'pre-install,pre-upgrade'),
  'charts/api/templates/notify.yaml': job('notify', 'post-upgrade'),
  'charts/api/templates/smoke.yaml': job('smoke', 'test'),
  'charts/api/templates/cleanup.yaml': job('cleanup', 'pre-install,post-delete'),
  'envs/prod/values.yaml': 'greeting: from-file\n',
};

async function render(files: FileTree, path: string, helm: HelmSpec, targetOptions = {}) {
  const repoDir = await tmp('repo');
  await writeTree(repoDir, files);
  const app = specOf('api', 'prod', { path: path, target: 'cluster', helm });
  return renderWithTool(helmRenderer, { app, files: [], repoDir, targetOptions, options: toolOptions });
}

const text = (result: Awaited<ReturnType<typeof render>>) => result.files[0]?.content.toString() ?? '';

describe.skipIf(helmMissing !== undefined)('helm apps', () => {
  it('renders an in-repo chart with release name, namespace, values files and inline values', async () => {
    const result = await render(
      chart,
      'charts/api',
      { releaseName: 'shop', valueFiles: ['envs/prod/values.yaml'] },
      { namespace: 'team' },
    );
    expect(result.issues).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['charts/api/[helm template].yaml']);
    expect(text(result)).toContain('name: "shop-config", namespace: "team"');
    expect(text(result)).toContain('greeting: "from-file"');
    const inline = await render(chart, 'charts/api', {
      valueFiles: ['envs/prod/values.yaml'],
      values: { greeting: 'inline' },
      namespace: 'ns1',
    });
    expect(text(inline)).toContain('name: "api-config", namespace: "ns1"');
    expect(text(inline)).toContain('greeting: "inline"');
  });

  it('maps install/upgrade hooks to PreSync/PostSync and warns about the others', async () => {
    const result = await render(chart, 'charts/api', {});
    const out = text(result);
    expect(out).toMatch(
      /name: migrate\n\s+annotations: \{ helm.sh\/hook: "pre-install,pre-upgrade", wheelhouse\/hook: PreSync \}/,
    );
    expect(out).toMatch(
      /name: notify\n\s+annotations: \{ helm.sh\/hook: "post-upgrade", wheelhouse\/hook: PostSync \}/,
    );
    expect(out).not.toContain('name: smoke');
    expect(result.warnings.map((w) => [w.file, w.message])).toEqual([
      [
        'charts/api/templates/cleanup.yaml',
        'Job "cleanup" is a helm "pre-install,post-delete" hook; Wheelhouse runs it as PreSync only',
      ],
      [
        'charts/api/templates/smoke.yaml',
        'Job "smoke" is a helm "test" hook, which Wheelhouse has no counterpart for; it is not applied — drop it, or make it a pre-/post-install hook',
      ],
    ]);
  });

  it("reports helm's message on the chart, and missing values files on the app entry", async () => {
    const broken = {
      ...chart,
      'charts/api/templates/bad.yaml': '{{ fail "values.database is required" }}\n',
    };
    const failed = await render(broken, 'charts/api', {});
    expect(failed.files).toEqual([]);
    expect(failed.issues.map((i) => i.file)).toEqual(['charts/api/Chart.yaml']);
    expect(failed.issues[0]?.message).toMatch(
      /^helm failed: .*values\.database is required.* — fix the file and commit$/,
    );
    const missing = await render(chart, 'charts/api', { valueFiles: ['envs/staging/values.yaml'] });
    expect(missing.issues.map((i) => [i.file, i.path, i.message])).toEqual([
      [
        'wheelhouse.yaml',
        'apps.api.helm.valueFiles[0]',
        'values file envs/staging/values.yaml is not in the repository at this revision — commit it or fix the path',
      ],
    ]);
  });

  describe('a chart from a chart repository on loopback', () => {
    let repo: Awaited<ReturnType<typeof startChartRepository>>;
    const version = (v: string) => ({
      'Chart.yaml': `apiVersion: v2\nname: remote\nversion: ${v}\n`,
      'templates/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: remote }\ndata: { version: "${v}" }\n`,
    });
    beforeAll(async () => {
      repo = await startChartRepository(helmBinary, await tmp('charts'), [
        version('0.1.0'),
        version('0.1.2'),
        version('0.2.0'),
      ]);
    }, 60_000);
    afterAll(async () => {
      await repo?.close();
    });

    it('takes the newest version in the range the app names', async () => {
      const result = await render({}, 'apps/remote', {
        repository: repo.url,
        chart: 'remote',
        version: '~0.1.0',
      });
      expect(result.issues).toEqual([]);
      expect(text(result)).toContain('version: "0.1.2"');
    });

    it('fetches dependencies from the repository Chart.yaml names only when the app allows it', async () => {
      const files: FileTree = {
        'charts/shop/Chart.yaml': `apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - { name: remote, version: "~0.1.0", repository: "${repo.url}" }\n`,
        'charts/shop/templates/own.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: own }\n',
      };
      const vendoredOnly = await render(files, 'charts/shop', {});
      expect(vendoredOnly.issues.map((i) => i.file)).toEqual(['charts/shop/Chart.yaml']);
      expect(vendoredOnly.issues[0]?.message).toMatch(
        /^helm failed: .*missing in charts\/ directory: remote/,
      );
      const fetched = await render(files, 'charts/shop', { fetchDependencies: true });
      expect(fetched.issues).toEqual([]);
      expect(text(fetched)).toContain('name: own');
      expect(text(fetched)).toContain('version: "0.1.2"');
    });

    it('says which chart and version it could not find', async () => {
      const result = await render({}, 'apps/remote', {
        repository: repo.url,
        chart: 'remote',
        version: '9.9.9',
      });
      expect(result.issues[0]?.file).toBe('wheelhouse.yaml');
      expect(result.issues[0]?.message).toMatch(/^helm failed: .*remote.*9\.9\.9/);
    });
  });
});
