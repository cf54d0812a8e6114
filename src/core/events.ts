import type { Health, SyncStatus } from './health.js';
import type { AuditEntry } from './records.js';
import type { ResourceChange, SyncRecord, SyncResult } from './sync.js';

/** Everything the engine, chat and API announce on the in-process bus (and over SSE). */
export type EventPayload =
  | { type: 'app.updated'; app: string; syncStatus: SyncStatus; health: Health; revision?: string }
  | { type: 'sync.started'; app: string; syncId: string; revision: string; actor: string; dryRun: boolean }
  | { type: 'sync.progress'; app: string; syncId: string; step: string; message: string; resource?: string }
  | {
      type: 'sync.finished';
      app: string;
      syncId: string;
      revision: string;
      result: SyncResult;
      actor: string;
      health?: Health;
      changes: ResourceChange[];
      record: SyncRecord;
    }
  | { type: 'drift.detected'; app: string; resources: { key: string; reason: string }[] }
  | { type: 'health.changed'; app: string; from: Health; to: Health }
  | { type: 'source.updated'; repo: string; revision: string; apps: string[] }
  | { type: 'source.failed'; repo: string; message: string }
  /** The newest wheelhouse.yaml is refused or unreadable (`inForce`: the revision still in force). */
  | { type: 'config.invalid'; revision?: string; inForce?: string; message: string }
  | { type: 'config.loaded'; revision: string }
  /** The app's manifests at `revision` do not render (told once per tree; nothing is applied). */
  | { type: 'render.failed'; app: string; revision: string; message: string }
  /** The app's new revision is not signed as `source.verify` asks (told once per revision and keys). */
  | { type: 'signature.refused'; app: string; revision: string; message: string }
  | { type: 'audit.appended'; entry: AuditEntry }
  | { type: 'approval.requested'; approvalId: string; app: string; command: string; requester: string }
  | { type: 'approval.decided'; approvalId: string; app: string; status: string; actor: string }
  | { type: 'chat.message'; room: string; messageId: string; thread?: string; updated: boolean }
  | {
      /** A CI server said a run ended (an inbound completion webhook), for an app it is tied to. */
      type: 'ci.finished';
      app: string;
      ci: string;
      job: string;
      run: string;
      result: 'success' | 'failure' | 'cancelled';
      url?: string;
    }
  /**
   * Image automation (docs/image-automation.md) found a newer image for an app and committed it
   * (`proposed`), could not (`held`: a lock, the access policy, an approval), or could not read
   * the registry (`error`). Told once per change of state and candidate, not per poll.
   */
  | {
      type: 'image.updated';
      app: string;
      image: string;
      state: 'proposed' | 'held' | 'error';
      /** The reference the manifests held when it was checked. */
      current?: string;
      /** The newest tag (or tag@digest) the policy allows. */
      candidate?: string;
      message: string;
    }
  /** A pull request's preview is stored (docs/previews.md): one per app it touches. */
  | {
      type: 'preview.ready';
      app: string;
      /** The preview's id: `github:acme/deploy#7`. */
      preview: string;
      revision: string;
      outcome: 'changed' | 'unchanged' | 'failed';
      /** `2 configured` or the first problem at file:line. */
      summary: string;
      /** The pull request's web address, when the forge sent one. */
      url?: string;
      title?: string;
      /** The dashboard's page of the preview, when `previews.dashboardUrl` is set. */
      link?: string;
    };

export type EventType = EventPayload['type'];

/** Every event type, in one list for the SSE stream's schema and the browser's listeners. */
export const EVENT_TYPES = [
  'app.updated',
  'sync.started',
  'sync.progress',
  'sync.finished',
  'drift.detected',
  'health.changed',
  'source.updated',
  'source.failed',
  'config.invalid',
  'config.loaded',
  'render.failed',
  'audit.appended',
  'approval.requested',
  'approval.decided',
  'chat.message',
  'ci.finished',
  'signature.refused',
  'preview.ready',
  'image.updated',
] as const satisfies readonly EventType[];

// A type added to EventPayload but not to the list fails here.
const everyEventType: Record<Exclude<EventType, (typeof EVENT_TYPES)[number]>, never> = {};
void everyEventType;

export type WheelhouseEvent = EventPayload & {
  /** Monotonic per process; the SSE `id`, so clients resume with `Last-Event-ID`. */
  id: number;
  at: string;
  /**
   * Set on an event another replica published and relayed through the database (docs/high-
   * availability.md): live views show it; whatever acts on an event (notifications, metrics) leaves
   * it to the replica that published it, so it is acted on once.
   */
  replica?: string;
};

/** The apps an event concerns (empty when it concerns none in particular). */
export function appsOf(event: EventPayload): readonly string[] {
  if ('app' in event) return [event.app];
  if (event.type === 'source.updated') return event.apps;
  if (event.type === 'audit.appended') return event.entry.app ? [event.entry.app] : [];
  return [];
}

export interface EventBus {
  publish(event: EventPayload): WheelhouseEvent;
  /** Publishes an event another replica published (`replica`, at its time `at`) to this one's listeners. */
  publishRelayed(event: EventPayload, from: { replica: string; at: string }): WheelhouseEvent;
  subscribe(listener: (event: WheelhouseEvent) => void): () => void;
  /** Events after `id` still held in the replay buffer (for SSE resume). */
  since(id: number): WheelhouseEvent[];
}
