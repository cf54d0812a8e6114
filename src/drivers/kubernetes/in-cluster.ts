import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { WheelhouseError } from '../../core/index.js';

/** Where Kubernetes mounts a Pod's ServiceAccount token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The cluster Wheelhouse runs in, as its Pod sees it: the API server from
 * `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT`, the ServiceAccount's token and CA from
 * `SERVICE_ACCOUNT_DIR` (or `WHEELHOUSE_SERVICE_ACCOUNT_DIR`, for a token mounted elsewhere and
 * for tests). The token file is read again before it expires, so projected tokens rotate.
 */
export function inClusterConfig(
  target: string,
  env: Readonly<Record<string, string | undefined>>,
): KubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `kubernetes target "${target}" has no kubeconfig and Wheelhouse is not running in a cluster (KUBERNETES_SERVICE_HOST/PORT are unset); add kubeconfig: PATH to the target`,
      { details: { path: `targets.${target}.kubeconfig` } },
    );
  }
  const dir = env.WHEELHOUSE_SERVICE_ACCOUNT_DIR || SERVICE_ACCOUNT_DIR;
  const missing = ['token', 'ca.crt'].filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `kubernetes target "${target}" has no kubeconfig, so it uses the Pod's ServiceAccount, but ${missing.map((f) => join(dir, f)).join(' and ')} ${missing.length === 1 ? 'does' : 'do'} not exist: set automountServiceAccountToken: true on the Pod or its ServiceAccount (deploy/kubernetes/ does), or add kubeconfig: PATH to the target`,
      { details: { path: `targets.${target}.kubeconfig` } },
    );
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'in-cluster',
        server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
        caFile: join(dir, 'ca.crt'),
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: 'service-account',
        authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } },
      },
    ],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
    currentContext: 'in-cluster',
  });
  return kc;
}
