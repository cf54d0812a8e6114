import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { statusOf } from '../../../src/server/previews/post.js';
import { startHarness } from '../../support/engine-harness.js';
import { git } from '../../support/git.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/*
 * Issue 20: a preview's commit status fails when a policy would refuse the change. The pull
 * request's head is dry-run on a real API server, whose ValidatingAdmissionPolicy refuses it; the
 * preview names the resource and the policy's message, and nothing is applied.
 */
const tmp = tempDirs();
const NS = 'previewed';
const configMap = (mode: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: ${mode} }\n`;
const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: no-unsafe-mode }
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"] }
  validations:
    - expression: "!has(object.data) || !('mode' in object.data) || object.data.mode != 'unsafe'"
      message: "data.mode must not be unsafe (policy no-unsafe-mode)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: no-unsafe-mode }
spec:
  policyName: no-unsafe-mode
  validationActions: [Deny]
`;

describe.skipIf(kubeMissing !== undefined)('previews against an admission policy', () => {
  const plane = useControlPlane();
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    const ns = await plane().kubectl(['create', 'namespace', NS]);
    expect(ns.code, ns.stderr).toBe(0);
    const applied = await plane().kubectl(['apply', '-f', '-'], POLICY);
    expect(applied.code, applied.stderr).toBe(0);
    // The policy takes effect once the API server has loaded it: probe with a server-side dry run.
    await waitFor('the policy to refuse', async () => {
      const probe = await plane().kubectl(
        ['apply', '--dry-run=server', '-n', NS, '-f', '-'],
        configMap('unsafe'),
      );
      return probe.code !== 0 && /no-unsafe-mode/.test(probe.stderr);
    });
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': `targets:
  prod: { driver: kubernetes, kubeconfig: "${plane().kubeconfig}", context: wheelhouse-test, namespace: ${NS} }
apps:
  - { name: settings, path: apps/settings, target: prod }
`,
        'apps/settings/cm.yaml': configMap('safe'),
      },
      driver: await createKubernetesDriver({
        target: 'prod',
        options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test', namespace: NS },
        stateDir: await tmp('state'),
        log: silentLogger,
        env: {},
      }),
      driverName: 'kubernetes',
      kinds: [],
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('names the refused resource and the policy, fails the status, and applies nothing', async () => {
    expect(h.engine.status('settings').syncStatus).toBe('Synced');
    await git(h.repoDir, 'checkout', '--quiet', '-B', 'unsafe', 'main');
    const head = await h.commit({ 'apps/settings/cm.yaml': configMap('unsafe') }, 'make it unsafe');
    await git(h.repoDir, 'update-ref', 'refs/pull/1/head', head);
    await git(h.repoDir, 'checkout', '--quiet', 'main');

    const report = await h.engine.preview?.({ repo: h.repoDir, ref: 'refs/pull/1/head' });
    const app = report?.apps[0];
    expect(app?.outcome).toBe('changed');
    expect(app?.refused?.[0]?.key).toMatch(/ConfigMap/);
    expect(app?.refused?.[0]?.message).toMatch(/data\.mode must not be unsafe \(policy no-unsafe-mode\)/);
    expect(report?.failed).toBe(true);
    const status = report ? statusOf(report) : undefined;
    expect(status?.state).toBe('failure');
    expect(status?.description).toMatch(/^settings: the target would refuse .*ConfigMap.*no-unsafe-mode/);

    const live = await plane().kubectl([
      'get',
      'configmap',
      'settings',
      '-n',
      NS,
      '-o',
      'jsonpath={.data.mode}',
    ]);
    expect(live.stdout).toBe('safe');
  });
});
