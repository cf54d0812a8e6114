// Issue 21: `kind: CIJob` among Kubernetes manifests — run by the engine (never sent to the
// cluster), gating the sync like a Job hook. Real control plane, real git, Jenkins emulated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCiJobRunner, createCiService } from '../../../src/ci/index.js';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { type JenkinsEmulator, startJenkinsEmulator } from '../../support/emulators/jenkins.js';
import { startHarness } from '../../support/engine-harness.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();

const config = (kubeconfig: string, jenkins: string) => `targets:
  prod: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: wheelhouse-test, namespace: shop }
apps:
  - { name: shop, path: apps/shop, target: prod }
ci:
  jenkins: { type: jenkins, url: "${jenkins}/", user: wheelhouse, tokenEnv: WH_TEST_KUBE_JENKINS_TOKEN }
`;

const manifests = (job: string, phase: string) => ({
  'apps/shop/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
  'apps/shop/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { JOB: ${job} }\n`,
  'apps/shop/check.yaml': `apiVersion: wheelhouse/v1\nkind: CIJob\nmetadata: { name: check }\nspec: { ci: jenkins, job: ${job}, phase: ${phase} }\n`,
});

describe.skipIf(kubeMissing !== undefined)('CIJob hooks on the kubernetes driver', () => {
  const plane = useControlPlane();
  let jenkins: JenkinsEmulator;
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    jenkins = await startJenkinsEmulator();
    process.env.WH_TEST_KUBE_JENKINS_TOKEN = jenkins.token;
    jenkins.job('schema-check', {
      result: 'failure',
      console: ['schema drift in orders', 'Finished: FAILURE'],
    });
    jenkins.job('e2e', { result: 'success' });
    const driver = createKubernetesDriver({
      target: 'prod',
      options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test' },
      stateDir: await tmp('state'),
      log: silentLogger,
      env: {},
    });
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': config(plane().kubeconfig, jenkins.url),
        ...manifests('schema-check', 'PreSync'),
      },
      driver,
      driverName: 'kubernetes',
      kinds: [],
      ciJobs: (current) =>
        createCiJobRunner(createCiService({ config: current, env: process.env }), { pollMs: 0 }),
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await jenkins?.close();
    delete process.env.WH_TEST_KUBE_JENKINS_TOKEN;
  });

  it('a failing PreSync CIJob leaves the cluster untouched', async () => {
    const [first] = await h.engine.history('shop');
    expect(first?.result).toBe('failed');
    expect(first?.messages.join('\n')).toContain('PreSync CIJob check failed (jenkins/schema-check#1');
    expect(first?.messages.join('\n')).toContain('schema drift in orders');
    const namespaces = await plane().kubectl(['get', 'namespaces', '-o', 'name']);
    expect(namespaces.stdout).not.toContain('namespace/shop');
  });

  it('a PostSync CIJob runs after the objects are applied; the sync succeeds; nothing CIJob reaches the API', async () => {
    await h.commit(manifests('e2e', 'PostSync'), 'e2e after the deploy');
    await h.refresh('shop');
    const [last] = await h.engine.history('shop');
    expect(last?.result, JSON.stringify(last?.messages)).toBe('succeeded');
    const settings = await plane().kubectl(['-n', 'shop', 'get', 'configmap', 'settings', '-o', 'json']);
    expect(JSON.parse(settings.stdout)).toMatchObject({ data: { JOB: 'e2e' } });
    expect(jenkins.builds.map((b) => `${b.job}#${b.number}`)).toEqual(['schema-check#1', 'e2e#1']);
    expect(h.engine.status('shop').syncStatus).toBe('Synced');
  });
});
