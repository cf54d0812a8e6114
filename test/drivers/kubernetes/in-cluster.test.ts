// Issue 16: Wheelhouse installed into the cluster it manages. The install manifests
// (deploy/kubernetes/base) go onto a real API server; `wheelhouse up` then runs with exactly what
// its Pod would have — KUBERNETES_SERVICE_HOST/PORT and the ServiceAccount's token (minted with the
// TokenRequest API) and CA in a directory like /var/run/secrets/kubernetes.io/serviceaccount — and
// no kubeconfig. It manages an app in the namespace the RBAC grants, and what the RBAC does not
// grant fails with the verb, the resource and what to add.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';
import { createRepo } from '../../support/git.js';
import { type ControlPlane, kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { startUp, type UpServer } from '../../support/wheelhouse-up.js';

const tmp = tempDirs();
const BASE = resolve('deploy/kubernetes/base');

const config = `targets:
  cluster: { driver: kubernetes, namespace: apps }
apps:
  - { name: web, path: apps/web, target: cluster }
  - { name: limits, path: apps/limits, target: cluster }
  - { name: elsewhere, path: apps/elsewhere, target: cluster }
`;

const files = {
  'wheelhouse.yaml': config,
  'apps/web/config.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\ndata: { greeting: hello }\n',
  'apps/web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "web:1" }]
`,
  // A kind the install's RBAC does not grant.
  'apps/limits/limits.yaml':
    'apiVersion: v1\nkind: LimitRange\nmetadata: { name: limits }\nspec:\n  limits: [{ type: Container, default: { cpu: 500m } }]\n',
  // A namespace the install's RBAC does not grant.
  'apps/elsewhere/config.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: elsewhere, namespace: other }\ndata: { a: b }\n',
};

interface AppJson {
  name: string;
  syncStatus: string;
  health: { status: string };
  lastError?: { code: string; message: string };
}

/** The ServiceAccount's token (TokenRequest API) and the cluster CA, as a Pod has them mounted. */
async function serviceAccountDir(plane: ControlPlane): Promise<string> {
  const dir = join(await tmp('serviceaccount'), 'serviceaccount');
  await mkdir(dir);
  const token = await plane.kubectl([
    'create',
    'token',
    'wheelhouse',
    '-n',
    'wheelhouse-system',
    '--duration=1h',
  ]);
  expect(token.code, token.stderr).toBe(0);
  // The controller-manager publishes the CA into every namespace, as the Pod's projected volume reads it.
  const ca = await waitFor('kube-root-ca.crt in wheelhouse-system', async () => {
    const out = await plane.kubectl([
      'get',
      'configmap',
      'kube-root-ca.crt',
      '-n',
      'wheelhouse-system',
      '-o',
      'jsonpath={.data.ca\\.crt}',
    ]);
    return out.code === 0 && out.stdout.includes('BEGIN CERTIFICATE') ? out.stdout : undefined;
  });
  await writeFile(join(dir, 'token'), token.stdout.trim());
  await writeFile(join(dir, 'ca.crt'), ca);
  await writeFile(join(dir, 'namespace'), 'wheelhouse-system');
  return dir;
}

describe.skipIf(kubeMissing !== undefined)(
  "Wheelhouse in the cluster, with the install manifests' ServiceAccount",
  () => {
    const plane = useControlPlane();
    let server: UpServer | undefined;
    const app = async (name: string) => {
      if (!server) throw new Error('wheelhouse up did not start');
      const out = await server.cli('status', name, '--json');
      return JSON.parse(out.stdout) as AppJson;
    };

    beforeAll(async () => {
      await ensureBuilt();
      const applied = await plane().kubectl(['apply', '-k', BASE]);
      expect(applied.code, applied.stderr).toBe(0);
      const other = await plane().kubectl(['create', 'namespace', 'other']);
      expect(other.code, other.stderr).toBe(0);
      const saDir = await serviceAccountDir(plane());
      const repo = await tmp('repo');
      await createRepo(repo, files);
      const { hostname, port } = new URL(plane().server);
      server = await startUp(tmp, repo, ['--log-format', 'json'], {
        KUBERNETES_SERVICE_HOST: hostname,
        KUBERNETES_SERVICE_PORT: port,
        WHEELHOUSE_SERVICE_ACCOUNT_DIR: saDir,
      });
    }, 300_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('manages an app in the namespace its RBAC grants, with the inventory in its own namespace', async () => {
      const web = await waitFor(
        'web Synced and Healthy',
        async () => {
          const status = await app('web');
          return status.syncStatus === 'Synced' && status.health.status === 'Healthy' ? status : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(web.lastError).toBeUndefined();
      const cm = await plane().kubectl([
        'get',
        'configmap',
        'web',
        '-n',
        'apps',
        '-o',
        'jsonpath={.data.greeting}',
      ]);
      expect(cm.stdout).toBe('hello');
      const inventory = await plane().kubectl([
        'get',
        'configmap',
        'wheelhouse-cluster-web',
        '-n',
        'wheelhouse-system',
      ]);
      expect(inventory.code, inventory.stderr).toBe(0);
    });

    it('refuses a kind outside its RBAC, naming the verb, the resource and what to add', async () => {
      const limits = await waitFor('limits to fail', async () => (await app('limits')).lastError, {
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect(limits.message).toMatch(/may not (list|watch|patch) limitranges/);
      expect(limits.message).toContain(
        'add "limitranges" under apiGroups [""] with verbs get, list, watch to ClusterRole wheelhouse-observe (deploy/kubernetes/base/rbac-observe.yaml)',
      );
    });

    it('refuses a namespace outside its RBAC, naming the namespace and the RoleBinding to add', async () => {
      const elsewhere = await waitFor('elsewhere to fail', async () => (await app('elsewhere')).lastError, {
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect(elsewhere.message).toMatch(/may not patch configmaps .*in namespace "other"/);
      // A 403 is not retried within the sync (the grant comes from outside): one attempt, requeued.
      expect(elsewhere.message).toContain('not retried at once, the app is retried later');
      expect(elsewhere.message).not.toMatch(/attempt \d of/);
      expect(elsewhere.message).toContain(
        'add a RoleBinding of ClusterRole wheelhouse-apply there (like deploy/kubernetes/base/rolebinding-apps.yaml)',
      );
      const cm = await plane().kubectl(['get', 'configmap', 'elsewhere', '-n', 'other']);
      expect(cm.code).not.toBe(0);
    });
  },
);
