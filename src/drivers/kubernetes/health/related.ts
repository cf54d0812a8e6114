import { HEALTH_CODES, type Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';

export type HealthOf = (obj: KubeObject) => Health;

/**
 * A Progressing or Degraded object's health with the reason its worst child gives, so a
 * Deployment stuck rolling out says why: "...; Pod web-7d9f-x2x: container web: ImagePullBackOff:
 * ...". The object's own status stays as it is (the children explain, they do not decide: a
 * Deployment turns Degraded at its progress deadline, as Kubernetes itself judges it).
 */
export function explainFromRelated(
  health: Health,
  obj: KubeObject,
  related: readonly KubeObject[],
  healthOf: HealthOf,
): Health {
  if (health.status !== 'Progressing' && health.status !== 'Degraded') return health;
  const troubled = related
    .filter(
      (child) => child !== obj && (obj.metadata.uid === undefined || child.metadata.uid !== obj.metadata.uid),
    )
    .map((child) => ({ child, health: healthOf(child) }))
    .filter((entry) => entry.health.status !== 'Healthy' && entry.health.message !== undefined)
    .sort(
      (a, b) =>
        HEALTH_CODES.indexOf(b.health.status) - HEALTH_CODES.indexOf(a.health.status) ||
        compareText(a.child.kind, b.child.kind) ||
        compareText(a.child.metadata.name, b.child.metadata.name),
    );
  const worst = troubled[0];
  if (worst === undefined) return health;
  const more = troubled.length > 1 ? ` (and ${troubled.length - 1} more not healthy)` : '';
  const base = health.message === undefined ? '' : `${health.message}; `;
  return { status: health.status, message: `${base}${worst.health.message}${more}` };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
