import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/index.js';
import { slugOf } from './paths.js';
import type { ResourceState } from './state-types.js';

const KINDS = new Set(['Process', 'Job', 'File']);

/**
 * One JSON file per owned resource under `<stateDir>/resources`, written atomically (temp file +
 * rename) and in order per resource, so a crash leaves either the old or the new record.
 */
export class StateStore {
  private readonly dir: string;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    stateDir: string,
    private readonly log: Logger,
  ) {
    this.dir = join(stateDir, 'resources');
  }

  async loadAll(): Promise<ResourceState[]> {
    await mkdir(this.dir, { recursive: true });
    const out: ResourceState[] = [];
    for (const name of (await readdir(this.dir)).sort()) {
      if (!name.endsWith('.json')) continue;
      const path = join(this.dir, name);
      try {
        const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
        if (!looksLikeState(parsed)) throw new Error('not a resource record');
        out.push(parsed);
      } catch (err) {
        // Keep the evidence, but never let one bad record stop the driver.
        const aside = `${path}.corrupt-${Date.now()}`;
        await rename(path, aside).catch(() => {});
        this.log.error(
          { file: path, movedTo: aside, err: String(err) },
          'unreadable resource record moved aside',
        );
      }
    }
    return out;
  }

  /** Persists a snapshot of `state` (taken now); resolves once it is on disk. */
  save(state: ResourceState): Promise<void> {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    const path = this.pathOf(state.key);
    return this.enqueue(state.key, async () => {
      const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, path);
    });
  }

  /** Like `save`, for callers that go on without waiting (failures are logged). */
  saveSoon(state: ResourceState): void {
    this.save(state).catch(() => {});
  }

  remove(key: string): Promise<void> {
    return this.enqueue(key, () => rm(this.pathOf(key), { force: true }));
  }

  /** Waits for every write queued so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private pathOf(key: string): string {
    return join(this.dir, `${slugOf(key)}.json`);
  }

  private enqueue(key: string, write: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(write);
    const settled = next.catch((err: unknown) => {
      this.log.error({ resource: key, err: String(err) }, 'failed to write resource record');
    });
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}

function looksLikeState(value: unknown): value is ResourceState {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.kind === 'string' &&
    KINDS.has(v.kind) &&
    typeof v.key === 'string' &&
    typeof v.app === 'string' &&
    typeof v.spec === 'object'
  );
}
