import type { KubeObject } from '../kube-object.js';
import { type Fields, records, status, str } from './read.js';

/** One entry of `status.conditions`, the convention most controllers and CRDs follow. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export function toCondition(entry: Fields): Condition | undefined {
  const type = str(entry.type);
  const raw = entry.status;
  if (type === undefined || (raw !== 'True' && raw !== 'False' && raw !== 'Unknown')) return undefined;
  const out: Condition = { type, status: raw };
  const reason = str(entry.reason);
  const message = str(entry.message);
  if (reason !== undefined) out.reason = reason;
  // Controllers end some messages with a period; ours go on after them ("...; Pod x: ...").
  if (message !== undefined) out.message = message.trim().replace(/\.$/, '');
  if (typeof entry.observedGeneration === 'number') out.observedGeneration = entry.observedGeneration;
  return out;
}

export function conditions(obj: KubeObject): Condition[] {
  return parseConditions(status(obj).conditions);
}

export function parseConditions(value: unknown): Condition[] {
  return records(value).flatMap((entry) => toCondition(entry) ?? []);
}

export function findCondition(list: readonly Condition[], type: string): Condition | undefined {
  return list.find((condition) => condition.type === type);
}

/** `condition Available is False (MinimumReplicasUnavailable): Deployment does not have ...` */
export function describeCondition(condition: Condition): string {
  const reason = condition.reason === undefined ? '' : ` (${condition.reason})`;
  const message = condition.message === undefined ? '' : `: ${condition.message}`;
  return `condition ${condition.type} is ${condition.status}${reason}${message}`;
}
