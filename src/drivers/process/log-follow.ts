import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine } from '../../core/index.js';
import { rotatedOffset } from './log-files.js';
import { byTime, logLineOf } from './log-stamp.js';

/** One log file to follow from `offset` on. */
export interface FollowTarget {
  path: string;
  stream: LogLine['stream'];
  source: string;
  offset: number;
  /** Lines carry the log pump's time stamp (log-stamp.ts). */
  stamped: boolean;
}

/** A line without its newline is shown once a poll adds nothing to it, or at once from this size. */
const MAX_PARTIAL = 64 * 1024;

/**
 * Streams lines appended to the files until `signal` aborts, polling their sizes. Survives
 * rotation: when a file shrank, the rest of what was read from it is taken from its `.1` copy
 * (which starts where `<file>.1.offset` says). Output without a newline is not held back forever:
 * a trailing partial line is shown once a poll brings nothing more (at once from 64 KiB), and
 * whatever follows on that line comes as the next line. What one poll found in several files comes
 * ordered by time (stamped files), so stdout and stderr interleave as they were written.
 */
export async function* followFiles(
  targets: readonly FollowTarget[],
  options: { intervalMs: number; signal: AbortSignal | undefined },
): AsyncGenerator<LogLine> {
  const states = targets.map((t) => ({
    ...t,
    decoder: new StringDecoder('utf8'),
    partial: '',
    ino: undefined as number | undefined,
  }));
  const { signal } = options;
  const line = logLineOf;
  while (!signal?.aborted) {
    const batch: LogLine[] = [];
    for (const t of states) {
      const { size, ino } = await sizeOf(t.path);
      const texts: string[] = [];
      if (size < t.offset || (t.ino !== undefined && ino !== t.ino)) {
        const start = await rotatedOffset(t.path);
        const rotatedSize = (await sizeOf(`${t.path}.1`)).size;
        if (t.offset < start && t.partial !== '') {
          // What came between was dropped by the rotation: the held line ends here.
          batch.push(line(t, t.partial));
          t.partial = '';
        }
        const from = Math.max(t.offset - start, 0);
        if (rotatedSize > from)
          texts.push(t.decoder.write(await readRange(`${t.path}.1`, from, rotatedSize)));
        t.offset = 0;
      }
      if (size > t.offset) {
        const bytes = await readRange(t.path, t.offset, size);
        texts.push(t.decoder.write(bytes));
        t.offset += bytes.length; // renamed away meanwhile: the next poll reads it as `.1`
      }
      t.ino = ino;
      if (texts.length > 0) {
        const pieces = (t.partial + texts.join('')).split('\n');
        t.partial = pieces.pop() ?? '';
        for (const piece of pieces) batch.push(line(t, piece));
      }
      // A partial line that a whole poll added nothing to is shown as it is (block-buffered
      // writers end most reads mid-line, so an unfinished line is not shown at once).
      if (t.partial !== '' && (texts.length === 0 || t.partial.length >= MAX_PARTIAL)) {
        batch.push(line(t, t.partial));
        t.partial = '';
      }
    }
    yield* byTime(batch);
    try {
      await sleep(options.intervalMs, undefined, signal ? { signal } : {});
    } catch {
      return;
    }
  }
}

/** Size and inode (a pump rotates by rename: a new inode is a new file); a missing file is empty. */
async function sizeOf(path: string): Promise<{ size: number; ino: number | undefined }> {
  try {
    const info = await stat(path);
    return { size: info.size, ino: info.ino };
  } catch {
    return { size: 0, ino: undefined };
  }
}

/** The bytes from `start` to `end`; none when the file is gone (a rotation renamed it). */
async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
