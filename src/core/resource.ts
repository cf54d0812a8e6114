import type { Health } from './health.js';

export interface ObjectMeta {
  name: string;
  /** Defaults to the app's name for drivers without namespaces (process, docker). */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** One desired object as written in a manifest. */
export interface Resource<Spec extends Record<string, unknown> = Record<string, unknown>> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
}

export interface SourceLocation {
  /** Path relative to the source repo root. */
  file: string;
  line: number;
  column: number;
}

export type HookPhase = 'PreSync' | 'PostSync';

/**
 * A resource as Git declares it after rendering and validation: its spec is the driver's
 * normalized form (defaults filled in), and it carries its identity key.
 */
export interface DesiredResource extends Resource {
  /** Identity key: `target/kind/namespace/name`. */
  key: string;
  app: string;
  target: string;
  namespace: string;
  /** Hooks (e.g. Jobs) run once per app digest, before or after the other resources. */
  hook?: HookPhase;
  /** Ordering wave from the `wheelhouse/wave` annotation; default 0. */
  wave: number;
  origin?: SourceLocation;
}

/** An object a resource owns on its target (a Deployment's ReplicaSets, their Pods), for display. */
export interface ResourceNode {
  kind: string;
  name: string;
  namespace?: string;
  health: Health;
  /** Runtime facts for display; a driver sets those it knows (a replica: all of them). */
  pid?: number;
  /** ISO time it started (uptime is counted from here when shown). */
  startedAt?: string;
  restarts?: number;
  /** How it last ended: "exited with code 1", "was killed by SIGKILL". */
  lastExit?: string;
  /** The last health probe's answer ("HTTP 200", "connection refused"). */
  probe?: string;
  children: ResourceNode[];
}

/** A resource as a driver observes it on its target. Only resources the driver owns for the app. */
export interface LiveResource {
  key: string;
  kind: string;
  name: string;
  namespace: string;
  app: string;
  /** The observed spec in the same normalized form as DesiredResource.spec; null when unknown. */
  spec: Record<string, unknown> | null;
  health: Health;
  /**
   * A difference the driver sees that the spec does not show (a process not running, a
   * container stopped, a file edited by hand). Any drift makes the resource OutOfSync.
   */
  drift?: string;
  /** For hooks: the app digest the hook last ran for. */
  appliedDigest?: string;
  /** Driver-specific runtime facts for display (pids, container ids, image digests). */
  status?: Record<string, unknown>;
  /** What the resource owns on the target, as a tree (Deployment -> ReplicaSets -> Pods). */
  children?: ResourceNode[];
}

export function resourceKey(target: string, kind: string, namespace: string, name: string): string {
  return `${target}/${kind}/${namespace}/${name}`;
}

export interface ParsedResourceKey {
  target: string;
  kind: string;
  namespace: string;
  name: string;
}

export function parseResourceKey(key: string): ParsedResourceKey | undefined {
  const parts = key.split('/');
  if (parts.length !== 4) return undefined;
  const [target, kind, namespace, name] = parts as [string, string, string, string];
  return { target, kind, namespace, name };
}
