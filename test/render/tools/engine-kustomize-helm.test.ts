import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { apiServers } from '../../support/api-server.js';
import { ensureBuilt } from '../../support/build.js';
import { createChatHarness } from '../../support/chat-harness.js';
import { cliEnv, runCli } from '../../support/cli.js';
import { startHarness } from '../../support/engine-harness.js';
import type { FileTree } from '../../support/git.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { helmBinary, helmMissing, kustomizeBinary, kustomizeMissing } from '../../support/render-tools.js';
import { tempDirs } from '../../support/tmp.js';
import { webOverlay } from './web-overlay.js';

/** A kustomize overlay and a helm chart, rendered by the real tools and applied to a real API server. */
const tmp = tempDirs();
const startServer = apiServers();

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
  // A helm test hook: Wheelhouse has no counterpart, so it is left out and the app says so.
  'charts/api/templates/smoke.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-smoke
  annotations: { helm.sh/hook: test }
spec:
  containers: [{ name: smoke, image: "smoke:1" }]
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

    it('shows the helm hook it left out as a render warning in the status, the API, `wheelhouse status` and chat, also from a cached render', async () => {
      const expected = {
        file: 'charts/api/templates/smoke.yaml',
        message: expect.stringContaining('Pod "api-smoke" is a helm "test" hook'),
      };
      expect(h.engine.status('api').renderWarnings).toEqual([expect.objectContaining(expected)]);
      expect(h.engine.status('web-prod').renderWarnings).toBeUndefined();
      expect((await plane().kubectl(['get', '-n', 'backend', 'pod', 'api-smoke'])).code).not.toBe(0);
      const before = h.engine.renderCount();
      await h.refresh('api');
      expect(h.engine.renderCount()).toBe(before);
      const server = await startServer({ engine: h.engine, store: h.store });
      const body = (await (await server.api('/api/v1/apps/api')).json()) as { renderWarnings?: unknown };
      expect(body.renderWarnings).toEqual([expect.objectContaining(expected)]);

      const shown = `charts/api/templates/smoke.yaml:1:1 Pod "api-smoke" is a helm "test" hook`;
      await ensureBuilt();
      const cli = await runCli(
        ['status', 'api', '--url', server.url],
        cliEnv({ WHEELHOUSE_TOKEN: server.token }),
      );
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(new RegExp(`warning +${shown.replace(/[.*"]/g, '\\$&')}`));

      const chat = await createChatHarness({
        dir: await tmp('chat'),
        engine: h.engine,
        operations: () => new Map(),
      });
      try {
        const { replies } = await chat.say('alice', 'status api');
        expect(JSON.stringify(replies.at(-1)?.body)).toContain('Render warnings');
        expect(replies.at(-1)?.text).toContain(shown);
      } finally {
        await chat.close();
      }
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
