import { describe, expect, it } from 'vitest';
import { forbiddenHint } from '../../../src/drivers/kubernetes/rbac-hint.js';

// The API server's own 403 messages (RBAC authorizer), as the in-cluster test gets them.
const user = 'system:serviceaccount:wheelhouse-system:wheelhouse';

describe('the rule to add for a 403', () => {
  it('points a write in an ungranted namespace at a RoleBinding, and at the kind in wheelhouse-apply', () => {
    const hint = forbiddenHint(
      `configmaps "x" is forbidden: User "${user}" cannot patch resource "configmaps" in API group "" in the namespace "other"`,
    );
    expect(hint).toBe(
      `${user} may not patch configmaps (API group "") in namespace "other": if Wheelhouse should deploy to namespace "other", add a RoleBinding of ClusterRole wheelhouse-apply there (like deploy/kubernetes/base/rolebinding-apps.yaml); if it has one, add "configmaps" under apiGroups [""] with verb patch to ClusterRole wheelhouse-apply (deploy/kubernetes/base/rbac-apply.yaml) (docs/kubernetes.md#rbac)`,
    );
  });

  it('points a cluster-wide read at wheelhouse-observe, and a cluster-scoped write at the cluster-wide binding', () => {
    expect(
      forbiddenHint(
        `limitranges is forbidden: User "${user}" cannot list resource "limitranges" in API group "" at the cluster scope`,
      ),
    ).toContain(
      'add "limitranges" under apiGroups [""] with verbs get, list, watch to ClusterRole wheelhouse-observe',
    );
    expect(
      forbiddenHint(
        `priorityclasses.scheduling.k8s.io "high" is forbidden: User "${user}" cannot patch resource "priorityclasses" in API group "scheduling.k8s.io" at the cluster scope`,
      ),
    ).toContain('bound cluster-wide (deploy/kubernetes/components/cluster-wide)');
  });

  it('leaves a refusal of another shape alone', () => {
    expect(
      forbiddenHint('admission webhook "policy.example.com" denied the request: no latest tags'),
    ).toBeUndefined();
  });
});
