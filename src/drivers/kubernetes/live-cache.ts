import type { Logger } from '../../core/index.js';
import type { KubeClient } from './client.js';
import type { Discovery, Mapping } from './discovery.js';
import { type ChangeListener, KindWatch } from './kind-watch.js';
import type { KubeObject } from './kube-object.js';
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

const watchKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

/**
 * The live state of one cluster in memory: one watch per kind any app uses (shared by every app of
 * the target, filtered by the target's managed-by labels), plus ReplicaSets and Pods (unfiltered:
 * they carry their workload's template labels, not ours) once a workload is managed, to show the
 * tree and explain health.
 */
export class LiveCache {
  private readonly watches = new Map<string, KindWatch>();
  private readonly children = new Map<string, KindWatch>();
  private childrenStarted: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly discovery: Discovery,
    private readonly target: string,
    private readonly onChange: ChangeListener,
    private readonly log: Logger,
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
    if (WORKLOADS.has(`${mapping.group}/${mapping.kind}`)) await this.ensureChildren();
    return watch;
  }

  /** ReplicaSets and Pods, watched once (concurrent callers share the same start). */
  private ensureChildren(): Promise<void> {
    this.childrenStarted ??= this.startChildren().catch((err: unknown) => {
      this.childrenStarted = undefined;
      throw err;
    });
    return this.childrenStarted;
  }

  private async startChildren(): Promise<void> {
    for (const [apiVersion, kind] of CHILD_KINDS) {
      const key = watchKey(apiVersion, kind);
      if (this.children.has(key)) continue;
      const mapping = await this.discovery.resolve(apiVersion, kind);
      if (!mapping) continue;
      const watch = new KindWatch(this.client, mapping, undefined, () => {}, this.log);
      this.children.set(key, watch);
      try {
        await watch.start();
      } catch (err) {
        this.children.delete(key);
        throw err;
      }
    }
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
    const pool = [...this.children.values()].flatMap((w) => [...w.objects.values()]);
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
    for (const watch of [...this.watches.values(), ...this.children.values()]) watch.stop();
    this.watches.clear();
    this.children.clear();
    this.childrenStarted = undefined;
  }
}
