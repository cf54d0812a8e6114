import { Watch } from '@kubernetes/client-node';
import { errorMessage, type Logger } from '../../core/index.js';
import { backoffDelay } from '../../util/index.js';
import type { KubeClient } from './client.js';
import { collectionPath, type Mapping } from './discovery.js';
import type { KubeObject } from './kube-object.js';

/** Called for every object that appeared, changed or went away (before/after undefined then). */
export type ChangeListener = (before: KubeObject | undefined, after: KubeObject | undefined) => void;

interface ObjectList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

const PAGE = 500;
/** The server ends each watch after this long; the next one resumes from the last version. */
const WATCH_SECONDS = 300;

/** `namespace/name` (cluster-scoped objects: `/name`). */
export const objectId = (obj: { metadata: { namespace?: string; name: string } }): string =>
  `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

/**
 * One kind of one cluster, kept in memory from a list and a watch (with a label selector when
 * given): the driver's live cache reads objects from here, never from the API. The watch resumes
 * from the last resourceVersion after a disconnect (bookmarks keep it fresh while nothing changes);
 * when that version is too old (410 Gone) it lists again and reports what changed meanwhile.
 */
export class KindWatch {
  readonly objects = new Map<string, KubeObject>();
  private resourceVersion = '';
  private abort: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private synced: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly mapping: Mapping,
    private readonly selector: string | undefined,
    private readonly onChange: ChangeListener,
    private readonly log: Logger,
    private readonly watchSeconds = WATCH_SECONDS,
  ) {}

  /** How many times the watch was opened again after it ended (for tests and diagnostics). */
  resumed = 0;
  /** How many times the kind was listed (the first time, and after 410 Gone). */
  listed = 0;

  /** Resolves once the first list is in memory. */
  start(): Promise<void> {
    this.synced ??= this.list()
      .then(() => this.watch())
      .catch((err: unknown) => {
        this.synced = undefined;
        throw err;
      });
    return this.synced;
  }

  /** Take an object the API server just returned (an apply) before its watch event arrives. */
  remember(obj: KubeObject): void {
    const id = objectId(obj);
    const known = this.objects.get(id)?.metadata.resourceVersion;
    if (known && obj.metadata.resourceVersion && Number(known) > Number(obj.metadata.resourceVersion)) return;
    this.objects.set(id, this.typed(obj));
  }

  /** Forget an object that was just deleted. */
  forget(namespace: string, name: string): void {
    this.objects.delete(`${namespace}/${name}`);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.abort?.abort();
  }

  /** Replace the cache with a fresh list, reporting every difference to what was cached. */
  private async list(): Promise<void> {
    this.listed += 1;
    const seen = new Map<string, KubeObject>();
    let token: string | undefined;
    let version = '';
    do {
      const page = await this.client.request<ObjectList>({
        method: 'GET',
        path: collectionPath(this.mapping),
        query: { labelSelector: this.selector, limit: PAGE, continue: token },
      });
      for (const item of page.items ?? []) {
        const obj = this.typed(item);
        seen.set(objectId(obj), obj);
      }
      token = page.metadata?.continue || undefined;
      version = page.metadata?.resourceVersion ?? version;
    } while (token);
    const before = new Map(this.objects);
    this.objects.clear();
    for (const [id, obj] of seen) this.objects.set(id, obj);
    this.resourceVersion = version;
    for (const [id, old] of before) if (!seen.has(id)) this.onChange(old, undefined);
    for (const [id, obj] of seen) {
      const old = before.get(id);
      if (old?.metadata.resourceVersion !== obj.metadata.resourceVersion) this.onChange(old, obj);
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    let relist = false;
    const watcher = new Watch(this.client.config);
    this.abort = await watcher.watch(
      collectionPath(this.mapping),
      {
        labelSelector: this.selector,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.watchSeconds,
      },
      (type: string, raw: unknown) => {
        if (type === 'ERROR') {
          const status = raw as { code?: number; message?: string };
          if (status.code === 410) relist = true;
          else this.log.warn({ kind: this.mapping.kind, err: status.message }, 'kubernetes watch error');
          return;
        }
        const obj = this.typed(raw as KubeObject);
        if (obj.metadata.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
        if (type === 'BOOKMARK') return;
        this.failures = 0;
        const id = objectId(obj);
        const before = this.objects.get(id);
        if (type === 'DELETED') this.objects.delete(id);
        else this.objects.set(id, obj);
        this.onChange(before, type === 'DELETED' ? undefined : obj);
      },
      (err: unknown) => {
        if (this.stopped) return;
        // 410 Gone comes as an ERROR event on an open watch, or as the answer to opening one.
        if (isGone(err)) relist = true;
        else if (err && !(err instanceof Error && err.name === 'AbortError')) {
          this.failures += 1;
          this.log.warn(
            { kind: this.mapping.kind, err: errorMessage(err) },
            'kubernetes watch lost; resuming',
          );
        }
        this.resume(relist || this.failures > 3);
      },
    );
  }

  /** Watch again from where it stopped (or list first), backing off while the server is away. */
  private resume(relist: boolean): void {
    const delay =
      this.failures === 0 ? 0 : backoffDelay(this.failures + 1, { baseMs: 250, maxMs: 30_000, jitter: 0 });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopped) return;
      this.resumed += 1;
      const next = relist ? this.list().then(() => this.watch()) : this.watch();
      next.catch((err: unknown) => {
        this.failures += 1;
        this.log.warn({ kind: this.mapping.kind, err: errorMessage(err) }, 'kubernetes relist failed');
        this.resume(true);
      });
    }, delay);
    this.retryTimer.unref();
  }

  private typed(obj: KubeObject): KubeObject {
    return { ...obj, apiVersion: this.mapping.apiVersion, kind: this.mapping.kind };
  }
}

function isGone(err: unknown): boolean {
  return err instanceof Error && (err as Error & { statusCode?: unknown }).statusCode === 410;
}
