/**
 * What to grant when the API server answers 403: the RBAC authorizer's message names the user,
 * the verb, the resource, its API group and the scope; this turns it into the rule to add to the
 * install's roles (deploy/kubernetes/base, docs/kubernetes.md#rbac). Undefined for a message of
 * another shape (an admission webhook's refusal, say), which stands on its own.
 */
export function forbiddenHint(message: string): string | undefined {
  const m =
    /User "([^"]+)" cannot (\w+) resource "([^"]+)" in API group "([^"]*)" (?:in the namespace "([^"]+)"|at the cluster scope)/.exec(
      message,
    );
  if (!m) return undefined;
  const [, user, verb = '', resource = '', group = '', namespace] = m;
  const what = `${user} may not ${verb} ${resource} (API group "${group}") ${namespace ? `in namespace "${namespace}"` : 'at the cluster scope'}`;
  const rule = `"${resource}" under apiGroups ["${group}"]`;
  if (READS.has(verb)) {
    return `${what}: the driver reads and watches every kind it manages across the cluster — add ${rule} with verbs get, list, watch to ClusterRole wheelhouse-observe (deploy/kubernetes/base/rbac-observe.yaml), and to wheelhouse-apply to change it (docs/kubernetes.md#rbac)`;
  }
  const where = namespace
    ? `if Wheelhouse should deploy to namespace "${namespace}", add a RoleBinding of ClusterRole wheelhouse-apply there (like deploy/kubernetes/base/rolebinding-apps.yaml); if it has one, `
    : '';
  return `${what}: ${where}add ${rule} with verb ${verb} to ClusterRole wheelhouse-apply (deploy/kubernetes/base/rbac-apply.yaml)${namespace ? '' : ', bound cluster-wide (deploy/kubernetes/components/cluster-wide)'} (docs/kubernetes.md#rbac)`;
}

const READS = new Set(['get', 'list', 'watch']);
