import { WheelhouseError } from '../../core/index.js';
import type { KubeObject } from './kube-object.js';
import type { Runtime } from './runtime.js';

/** kwok manages the Nodes it fakes by this annotation (and labels them `type: kwok`). */
const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';

/**
 * Why a Pod can have no logs, known before asking its node's kubelet (which, where there is none,
 * would only time out): it is not on a node yet, or its node is a kwok fake, which runs no
 * containers. Undefined when the logs may be there. A Node that cannot be read (RBAC without
 * `get nodes`) is not judged: the kubelet is asked, and its error is what the user sees.
 */
export async function podWithoutLogs(rt: Runtime, pod: KubeObject): Promise<WheelhouseError | undefined> {
  const name = `Pod ${pod.metadata.namespace}/${pod.metadata.name}`;
  const nodeName = typeof pod.spec?.nodeName === 'string' ? pod.spec.nodeName : undefined;
  if (!nodeName) {
    return unavailable(
      `${name} is not running on a node yet, so it has no logs; see its health for why (e.g. no node fits its requests) and ask again once it runs`,
      pod,
    );
  }
  const node = await rt.client
    .request<KubeObject>({ method: 'GET', path: `/api/v1/nodes/${encodeURIComponent(nodeName)}` })
    .catch(() => undefined);
  if (!node) return undefined;
  if (node.metadata.annotations?.[KWOK_ANNOTATION] !== undefined || node.metadata.labels?.type === 'kwok') {
    return unavailable(
      `${name} runs on node ${nodeName}, a kwok fake node: no container runs there, so there are no logs to read; read logs on a cluster with real nodes (kwok only simulates Pods)`,
      pod,
    );
  }
  return undefined;
}

function unavailable(message: string, pod: KubeObject): WheelhouseError {
  return new WheelhouseError('UNAVAILABLE', message, {
    details: { pod: `${pod.metadata.namespace}/${pod.metadata.name}` },
  });
}
