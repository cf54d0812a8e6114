import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { startHarness } from '../../support/engine-harness.js';
import type { FileTree } from '../../support/git.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { helmBinary, helmMissing, kustomizeBinary, kustomizeMissing } from '../../support/render-tools.js';
import { tempDirs } from '../../support/tmp.js';
import { webOverlay } from './web-overlay.js';

/** A kustomize overlay and a helm chart, rendered by the real tools and applied to a real API server. */
const tmp = tempDirs();

const config = (kubeconfig: string) => `targets:
  prod: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: wheelhouse-test }
apps:
  - name: web-prod
    path: apps/web/overlays/prod
    target: prod
  - name: api
    path: charts/api
    target: prod
    helm:
      namespace: backend
      valueFiles: [envs/prod/api-values.yaml]
      values: { greeting: inline }
`;

const chart: FileTree = {
  'charts/api/Chart.yaml':
    'apiVersion: v2\nname: api\nversion: 0.1.0\ndependencies:\n  - { name: common, version: 0.1.0 }\n',
  'charts/api/values.yaml': 'greeting: default\nsize: small\n',
  'charts/api/templates/namespace.yaml':
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n  annotations: { wheelhouse/wave: "-1" }\n',
  'charts/api/templates/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | quote }}
  size: {{ .Values.size | quote }}
`,
  'charts/api/templates/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations: { helm.sh/hook: "pre-install,pre-upgrade" }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: "migrate:1" }]
`,
  'charts/api/charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
  'charts/api/charts/common/templates/shared.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: common-shared }\ndata: { from: subchart }\n',
  'envs/prod/api-values.yaml': 'size: large\n',
};

describe.skipIf(kubeMissing !== undefined || kustomizeMissing !== undefined || helmMissing !== undefined)(
  'kustomize and helm apps on a real control plane',
  () => {
    const plane = useControlPlane();
    let h: Awaited<ReturnType<typeof startHarness>>;
    const saved = { kustomize: process.env.WHEELHOUSE_KUSTOMIZE, helm: process.env.WHEELHOUSE_HELM };
    const get = async (args: string[]) => {
      const out = await plane().kubectl(['get', ...args]);
      expect(out.code, out.stderr).toBe(0);
      return out.stdout;
    };

    beforeAll(async () => {
      process.env.WHEELHOUSE_KUSTOMIZE = kustomizeBinary;
      process.env.WHEELHOUSE_HELM = helmBinary;
      const driver = createKubernetesDriver({
        target: 'prod',
        options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test' },
        stateDir: await tmp('state'),
        log: silentLogger,
        env: {},
      });
      h = await startHarness(tmp, {
        files: { 'wheelhouse.yaml': config(plane().kubeconfig), ...webOverlay('web:1'), ...chart },
        driver,
        driverName: 'kubernetes',
        kinds: [],
      });
    }, 180_000);

    afterAll(async () => {
      await h?.close();
      for (const [tool, value] of Object.entries(saved)) {
        const name = `WHEELHOUSE_${tool.toUpperCase()}`;
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('applies the prod overlay of a kustomize app', async () => {
      const [first] = await h.engine.history('web-prod');
      expect(first?.result, JSON.stringify(first?.messages)).toBe('succeeded');
      expect(await get(['-n', 'web', 'deployment', 'prod-web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
      expect(h.engine.status('web-prod').syncStatus).toBe('Synced');
    });

    it('applies a helm chart with values files, inline values, a vendored dependency and a PreSync hook', async () => {
      const [first] = await h.engine.history('api');
      expect(first?.result, JSON.stringify([first?.messages, h.engine.status('api')])).toBe('succeeded');
      expect(
        await get([
          '-n',
          'backend',
          'configmap',
          'api-config',
          '-o',
          'jsonpath={.data.greeting}/{.data.size}',
        ]),
      ).toBe('inline/large');
      expect(await get(['-n', 'backend', 'configmap', 'common-shared', '-o', 'jsonpath={.data.from}'])).toBe(
        'subchart',
      );
      expect(
        await get([
          '-n',
          'backend',
          'job',
          'api-migrate',
          '-o',
          "jsonpath={.metadata.annotations['wheelhouse/hook']}",
        ]),
      ).toBe('PreSync');
      expect(await get(['-n', 'backend', 'job', 'api-migrate', '-o', 'jsonpath={.status.succeeded}'])).toBe(
        '1',
      );
    });

    it('runs no tool on a refresh without a commit, and renders again when a base changes', async () => {
      const before = h.engine.renderCount();
      await h.refresh('web-prod');
      await h.refresh('api');
      expect(h.engine.renderCount()).toBe(before);
      await h.commit(webOverlay('web:2'), 'web 2, in the base only');
      await h.refresh('web-prod');
      expect(
        await get([
          '-n',
          'web',
          'deployment',
          'prod-web',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ]),
      ).toBe('web:2');
      expect(h.engine.status('web-prod').syncStatus).toBe('Synced');
    });
  },
);
