import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { CertPair } from './pki.js';

/** The one context (and cluster, and user) every kubeconfig of the test control plane has. */
export const KUBE_CONTEXT = 'wheelhouse-test';

/**
 * Writes a kubeconfig with one cluster, one user and one context, all named `wheelhouse-test`,
 * with the CA and the client certificate embedded (the file stands on its own).
 */
export async function writeKubeconfig(
  path: string,
  options: { server: string; caCert: string; client: CertPair },
): Promise<void> {
  const base64 = async (file: string) => (await readFile(file)).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: KUBE_CONTEXT,
        cluster: { server: options.server, 'certificate-authority-data': await base64(options.caCert) },
      },
    ],
    users: [
      {
        name: KUBE_CONTEXT,
        user: {
          'client-certificate-data': await base64(options.client.cert),
          'client-key-data': await base64(options.client.key),
        },
      },
    ],
    contexts: [{ name: KUBE_CONTEXT, context: { cluster: KUBE_CONTEXT, user: KUBE_CONTEXT } }],
    'current-context': KUBE_CONTEXT,
    preferences: {},
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
