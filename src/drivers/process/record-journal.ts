import {
  closeSync,
  copyFileSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { errorMessage, type Logger } from '../../core/index.js';
import type { ResourceState } from './state-types.js';

/** A line that says a record was removed. */
interface Removal {
  removed: string;
}

/** Rewrite the journal once it holds this much and twice what its live records take. */
export const JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024;

/** Characters serialised before each write while compacting. */
const COMPACT_CHUNK = 1024 * 1024;

/**
 * Records kept as one append-only file of JSON lines (`files.jsonl`): each save appends the whole
 * record, each removal a `{"removed": key}` line, and the last line for a key wins. An append is
 * one synchronous write, done before the caller reports success, like the temp-file-and-rename
 * it replaces for File records, but it creates no inode: on ext4 that creation was most of what
 * 10,000 Files cost. A crash can cut only the last line, which loading ignores; loading then
 * rewrites the file with only the live records (atomically: temp file and rename), as does an
 * append once the file has grown past `compactBytes` and twice its live size.
 */
export class RecordJournal {
  private fd: number | undefined;
  private size = 0;
  private liveBytes = 0;
  private loaded = false;
  private readonly records = new Map<string, ResourceState>();

  constructor(
    private readonly path: string,
    private readonly log: Logger,
    /** One line, newline included. */
    private readonly serialize: (state: ResourceState) => string,
    private readonly valid: (value: unknown) => value is ResourceState,
    private readonly compactBytes = JOURNAL_COMPACT_BYTES,
  ) {}

  has(key: string): boolean {
    return this.records.has(key);
  }

  /**
   * Reads the journal (plus `adopted`, records kept elsewhere until now) and rewrites it with the
   * live records only. A line that cannot be read is skipped; when it is not a torn last line,
   * the journal is first copied aside (`.corrupt-<time>`) as evidence and the error logged.
   */
  load(adopted: readonly ResourceState[]): ResourceState[] {
    this.close();
    this.records.clear();
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.loaded = true;
    if (text === '' && adopted.length === 0) return []; // nothing yet: the first save creates it
    for (const state of adopted) this.records.set(state.key, state);
    const lines = text.split('\n');
    const torn = lines.pop(); // '' when the file ends with a newline
    let bad = 0;
    for (const line of lines) {
      if (line === '') continue;
      if (!this.apply(line)) bad += 1;
    }
    if (bad > 0) {
      const aside = `${this.path}.corrupt-${Date.now()}`;
      copyFileSync(this.path, aside);
      this.log.error(
        { file: this.path, copiedTo: aside, unreadableLines: bad },
        'unreadable lines in the resource journal skipped',
      );
    }
    if (torn) this.log.warn({ file: this.path }, 'a record cut by a crash was skipped');
    this.compact();
    return [...this.records.values()];
  }

  save(state: ResourceState): void {
    this.records.set(state.key, state);
    this.append(this.serialize(state));
  }

  remove(key: string): void {
    if (!this.records.delete(key)) return;
    this.append(`${JSON.stringify({ removed: key } satisfies Removal)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private apply(line: string): boolean {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return false;
    }
    if (isRemoval(value)) {
      this.records.delete(value.removed);
      return true;
    }
    if (!this.valid(value)) return false;
    this.records.set(value.key, value);
    return true;
  }

  /** One write of the whole line; on failure the file is cut back, so no torn line stays behind. */
  private append(line: string): void {
    if (this.loaded && this.size > this.compactBytes && this.size > 2 * this.liveBytes) {
      try {
        this.compact();
      } catch (err) {
        // Appending still works; the next append tries again.
        this.log.error({ file: this.path, err: errorMessage(err) }, 'could not compact the resource journal');
      }
    }
    const fd = this.open();
    let written: number;
    try {
      written = writeAll(fd, line);
    } catch (err) {
      try {
        ftruncateSync(fd, this.size);
      } catch (cut) {
        this.log.error({ file: this.path, err: errorMessage(cut) }, 'could not cut back a failed append');
      }
      throw err;
    }
    this.size += written;
  }

  private open(): number {
    if (this.fd === undefined) {
      this.fd = openSync(this.path, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  /**
   * Rewrites the journal with the live records only (temp file and rename), in chunks: with
   * 100,000 Files the records take tens of megabytes, which one string would hold twice.
   */
  private compact(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    let bytes = 0;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        let chunk: string[] = [];
        let chunkLength = 0;
        const flush = () => {
          bytes += writeAll(fd, chunk.join(''));
          chunk = [];
          chunkLength = 0;
        };
        for (const state of this.records.values()) {
          const line = this.serialize(state);
          chunk.push(line);
          chunkLength += line.length;
          if (chunkLength >= COMPACT_CHUNK) flush();
        }
        flush();
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    this.close();
    this.liveBytes = bytes;
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = bytes;
  }
}

/** Writes all of `text`; the bytes written. */
function writeAll(fd: number, text: string): number {
  const data = Buffer.from(text);
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
  return written;
}

function isRemoval(value: unknown): value is Removal {
  return (
    value !== null &&
    typeof value === 'object' &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>).removed === 'string'
  );
}
