import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { conditions, describeCondition, findCondition } from './conditions.js';
import { degraded, healthy, progressing } from './read.js';

/**
 * An APIService (an aggregated API such as metrics.k8s.io): Healthy when `Available=True`;
 * Degraded when False (the backing service fails discovery); Progressing before the aggregator
 * reports.
 */
export function apiServiceHealth(obj: KubeObject): Health {
  const available = findCondition(conditions(obj), 'Available');
  if (available === undefined) return progressing(obj, 'waiting for condition Available');
  if (available.status === 'True') return healthy(obj);
  if (available.status === 'False') return degraded(obj, describeCondition(available));
  return progressing(obj, `waiting to be available: ${describeCondition(available)}`);
}
