import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, type Logger, WheelhouseError } from '../../core/index.js';
import { slugOf } from './paths.js';
import { RecordJournal } from './record-journal.js';
import { SealedValues } from './sealed-values.js';
import type { ResourceState } from './state-types.js';

const KINDS = new Set(['Process', 'Job', 'File']);

/**
 * What the driver owns, on disk under `<stateDir>/resources`. Process and Job records are one JSON
 * file each, written atomically (temp file + rename), so a crash leaves either the old or the new
 * record. File records, thousands on a cold converge, are lines of one journal (`files.jsonl`,
 * record-journal.ts): creating a file per record cost the kernel most of a File's write. Every
 * call is synchronous on purpose: records stay in order without a queue, a pid is on disk before
 * anything else happens, and a save is done before the caller reports success.
 */
export class StateStore {
  private readonly dir: string;
  private writes = 0;
  private readonly files: RecordJournal;

  constructor(
    stateDir: string,
    private readonly log: Logger,
    /** Keeps SOPS-decrypted values out of the records (sealed-values.ts). */
    readonly sealed: SealedValues = new SealedValues(stateDir),
    journalCompactBytes?: number,
  ) {
    this.dir = join(stateDir, 'resources');
    this.files = new RecordJournal(
      join(this.dir, 'files.jsonl'),
      log,
      (state) => this.sealed.stringify(state, 0),
      looksLikeState,
      journalCompactBytes,
    );
  }

  /** Every record. File records still kept one file each (before the journal) move into it here. */
  loadAll(): ResourceState[] {
    mkdirSync(this.dir, { recursive: true });
    const out: ResourceState[] = [];
    const files: ResourceState[] = [];
    const moved: string[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      const path = join(this.dir, name);
      if (name.endsWith('.tmp')) {
        rmSync(path, { force: true }); // a write interrupted by a crash
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (!looksLikeState(parsed)) throw new Error('not a resource record');
        if (parsed.kind === 'File') {
          files.push(parsed);
          moved.push(path);
        } else out.push(parsed);
      } catch (err) {
        // Keep the evidence, but never let one bad record stop the driver.
        const aside = `${path}.corrupt-${Date.now()}`;
        try {
          renameSync(path, aside);
        } catch {
          // leave it where it is
        }
        this.log.error(
          { file: path, movedTo: aside, err: String(err) },
          'unreadable resource record moved aside',
        );
      }
    }
    out.push(...this.files.load(files));
    for (const path of moved) rmSync(path, { force: true });
    return out;
  }

  /** Writes the record now; throws when it cannot (the caller must not report success). */
  save(state: ResourceState): void {
    if (state.kind === 'File') {
      try {
        this.files.save(state);
      } catch (cause) {
        throw this.failed(state, cause);
      }
      return;
    }
    const path = this.pathOf(state.key);
    const tmp = `${path}.${process.pid}-${(this.writes++).toString(36)}.tmp`;
    try {
      writeFileSync(tmp, this.sealed.stringify(state), { mode: 0o600 });
      renameSync(tmp, path);
    } catch (cause) {
      rmSync(tmp, { force: true });
      throw this.failed(state, cause);
    }
  }

  private failed(state: ResourceState, cause: unknown): WheelhouseError {
    return new WheelhouseError(
      'DRIVER_FAILED',
      `could not record ${state.key} in ${this.dir}: ${errorMessage(cause)}; check that the data directory is writable and not full`,
      { cause, details: { app: state.app, resource: state.key } },
    );
  }

  /** Like `save`, for bookkeeping whose failure must not interrupt the caller (it is logged). */
  saveSoon(state: ResourceState): void {
    try {
      this.save(state);
    } catch (err) {
      this.log.error({ resource: state.key, err: errorMessage(err) }, 'failed to write resource record');
    }
  }

  remove(key: string): void {
    if (this.files.has(key)) this.files.remove(key);
    else rmSync(this.pathOf(key), { force: true });
  }

  /** Closes the journal (the driver stops); the next save opens it again. */
  close(): void {
    this.files.close();
  }

  private pathOf(key: string): string {
    return join(this.dir, `${slugOf(key)}.json`);
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
