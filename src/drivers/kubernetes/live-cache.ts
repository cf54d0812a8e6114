import type { Logger } from '../../core/index.js';
import type { KubeClient } from './client.js';
import type { Discovery, Mapping } from './discovery.js';
import { type ChangeListener, KindWatch } from './kind-watch.js';
import { apiGroup, type KubeObject } from './kube-object.js';
import { managedSelector } from './labels.js';

/** Kinds whose objects own Pods (through ReplicaSets for Deployments): watching them brings the children. */
const WORKLOADS = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
]);
const CHILD_KINDS: readonly [string, string][] = [
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'Pod'],
];
/**
 * Cluster objects a kind's health reads besides the object itself, watched unfiltered once such an
 * object is managed: an Ingress's address comes from the controller of its IngressClass.
 */
const CONTEXT_KINDS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['networking.k8s.io/Ingress', ['networking.k8s.io/v1', 'IngressClass']],
]);

const watchKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

/**
 * A cluster object that managed objects' health reads changed (an IngressClass installed): the
 * managed objects that read it, to be judged again now rather than at the next poll.
 */
export type ContextListener = (dependents: KubeObject[], reason: string) => void;

/**
 * The live state of one cluster in memory: one watch per kind any app uses (shared by every app of
 * the target, filtered by the target's managed-by labels), plus ReplicaSets and Pods (unfiltered:
 * they carry their workload's template labels, not ours) once a workload is managed, to show the
 * tree and explain health, and IngressClasses once an Ingress is managed, to judge its health.
 */
export class LiveCache {
  private readonly watches = new Map<string, KindWatch>();
  /** Watches of every object of a kind (children and context kinds), by `apiVersion|kind`. */
  private readonly unfiltered = new Map<string, Promise<KindWatch | undefined>>();
  /** The same watches once listed. */
  private readonly listed = new Map<string, KindWatch>();

  constructor(
    private readonly client: KubeClient,
    private readonly discovery: Discovery,
    private readonly target: string,
    private readonly onChange: ChangeListener,
    private readonly log: Logger,
    private readonly onContext: ContextListener = () => {},
  ) {}

  /** The watch of a kind, started (and listed) on first use. */
  async ensure(mapping: Mapping): Promise<KindWatch> {
    const key = watchKey(mapping.apiVersion, mapping.kind);
    let watch = this.watches.get(key);
    if (!watch) {
      watch = new KindWatch(this.client, mapping, managedSelector(this.target), this.onChange, this.log);
      this.watches.set(key, watch);
    }
    try {
      await watch.start();
    } catch (err) {
      this.watches.delete(key);
      throw err;
    }
    const kind = `${mapping.group}/${mapping.kind}`;
    if (WORKLOADS.has(kind)) for (const [v, k] of CHILD_KINDS) await this.watchAll(v, k);
    const context = CONTEXT_KINDS.get(kind);
    if (context) await this.watchAll(...context, this.onContextChange(mapping, context));
    return watch;
  }

  /** Every object of a kind, watched once (concurrent callers share the same start). */
  private watchAll(
    apiVersion: string,
    kind: string,
    onChange: ChangeListener = () => {},
  ): Promise<KindWatch | undefined> {
    const key = watchKey(apiVersion, kind);
    let started = this.unfiltered.get(key);
    if (!started) {
      started = (async () => {
        const mapping = await this.discovery.resolve(apiVersion, kind);
        if (!mapping) return undefined;
        const watch = new KindWatch(this.client, mapping, undefined, onChange, this.log);
        await watch.start();
        this.listed.set(key, watch);
        return watch;
      })();
      started.catch(() => this.unfiltered.delete(key));
      this.unfiltered.set(key, started);
    }
    return started;
  }

  /** A context object changed: every managed object of the kind that reads it is judged again. */
  private onContextChange(
    dependent: Mapping,
    [, contextKind]: readonly [string, string],
  ): (before: KubeObject | undefined, after: KubeObject | undefined) => void {
    return (before, after) => {
      const subject = after ?? before;
      // The first listing replays every object: nothing the Ingresses were judged without.
      if (!subject || !this.listed.has(watchKey(subject.apiVersion, contextKind))) return;
      const what = `${contextKind} ${subject.metadata.name}`;
      const reason = !after ? `${what} was deleted` : !before ? `${what} appeared` : `${what} changed`;
      const dependents = [...(this.watchOf(dependent.apiVersion, dependent.kind)?.objects.values() ?? [])];
      if (dependents.length > 0) this.onContext(dependents, reason);
    };
  }

  private allOf(apiVersion: string, kind: string): KubeObject[] {
    return [...(this.listed.get(watchKey(apiVersion, kind))?.objects.values() ?? [])];
  }

  /** The cluster objects an object's health reads besides it (an Ingress: every IngressClass). */
  context(obj: KubeObject): KubeObject[] {
    const kind = CONTEXT_KINDS.get(`${apiGroup(obj.apiVersion)}/${obj.kind}`);
    return kind ? this.allOf(...kind) : [];
  }

  /** The watch already serving a kind, if any. */
  watchOf(apiVersion: string, kind: string): KindWatch | undefined {
    return this.watches.get(watchKey(apiVersion, kind));
  }

  get(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.watchOf(apiVersion, kind)?.objects.get(`${namespace}/${name}`);
  }

  /** Everything an object owns, transitively (a Deployment's ReplicaSets and their Pods). */
  descendants(obj: KubeObject): KubeObject[] {
    const uid = obj.metadata.uid;
    if (!uid) return [];
    const pool = CHILD_KINDS.flatMap(([apiVersion, kind]) => this.allOf(apiVersion, kind));
    const out: KubeObject[] = [];
    const visit = (owner: string) => {
      for (const child of pool) {
        if (child.metadata.ownerReferences?.some((ref) => ref.uid === owner)) {
          out.push(child);
          if (child.metadata.uid) visit(child.metadata.uid);
        }
      }
    };
    visit(uid);
    return out;
  }

  stop(): void {
    for (const watch of [...this.watches.values(), ...this.listed.values()]) watch.stop();
    this.watches.clear();
    this.unfiltered.clear();
    this.listed.clear();
  }
}
