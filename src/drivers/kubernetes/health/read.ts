import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';

/**
 * Typed reads of the loosely typed parts of an object (`spec`, `status`), and the message shape
 * every health check shares: "<Kind> <name>: <what and why>".
 */

export type Fields = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function record(value: unknown): Fields {
  return isRecord(value) ? value : {};
}

export function records(value: unknown): Fields[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function spec(obj: KubeObject): Fields {
  return record(obj.spec);
}

export function status(obj: KubeObject): Fields {
  return record(obj.status);
}

/** `Deployment web`: how every message names its object. */
export function describe(obj: KubeObject): string {
  return `${obj.kind} ${obj.metadata.name}`;
}

function make(code: Health['status'], obj: KubeObject, detail: string): Health {
  return { status: code, message: `${describe(obj)}: ${detail}` };
}

export const healthy = (obj: KubeObject, detail?: string): Health =>
  detail === undefined ? { status: 'Healthy' } : make('Healthy', obj, detail);
export const progressing = (obj: KubeObject, detail: string): Health => make('Progressing', obj, detail);
export const suspended = (obj: KubeObject, detail: string): Health => make('Suspended', obj, detail);
export const degraded = (obj: KubeObject, detail: string): Health => make('Degraded', obj, detail);

/**
 * Progressing while the controller has not yet seen the latest spec (`status.observedGeneration`
 * behind `metadata.generation`): every other status field still describes the previous spec.
 */
export function staleGeneration(obj: KubeObject): Health | undefined {
  const generation = obj.metadata.generation;
  const observed = num(status(obj).observedGeneration);
  if (generation === undefined || observed === undefined || observed >= generation) return undefined;
  return progressing(obj, `waiting for the controller to observe generation ${generation}`);
}

/** "3 of 5": counts in messages, where an absent count means zero. */
export function ofTotal(have: number | undefined, want: number): string {
  return `${have ?? 0} of ${want}`;
}
