import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine } from '../../core/index.js';
import { rotatedOffset } from './log-files.js';

/** One log file to follow from `offset` on. */
export interface FollowTarget {
  path: string;
  stream: LogLine['stream'];
  source: string;
  offset: number;
}

/** A line without its newline is shown once a poll adds nothing to it, or at once from this size. */
const MAX_PARTIAL = 64 * 1024;

/**
 * Streams lines appended to the files until `signal` aborts, polling their sizes. Survives
 * rotation: when a file shrank, the rest of what was read from it is taken from its `.1` copy
 * (which starts where `<file>.1.offset` says). Output without a newline is not held back forever:
 * a trailing partial line is shown once a poll brings nothing more (at once from 64 KiB), and
 * whatever follows on that line comes as the next line.
 */
export async function* followFiles(
  targets: readonly FollowTarget[],
  options: { intervalMs: number; signal: AbortSignal | undefined },
): AsyncGenerator<LogLine> {
  const states = targets.map((t) => ({ ...t, decoder: new StringDecoder('utf8'), partial: '' }));
  const { signal } = options;
  const line = (t: FollowTarget, text: string): LogLine => ({
    stream: t.stream,
    source: t.source,
    text: text.endsWith('\r') ? text.slice(0, -1) : text,
  });
  while (!signal?.aborted) {
    for (const t of states) {
      const size = await sizeOf(t.path);
      const texts: string[] = [];
      if (size < t.offset) {
        const start = await rotatedOffset(t.path);
        const rotatedSize = await sizeOf(`${t.path}.1`);
        if (t.offset < start && t.partial !== '') {
          // What came between was dropped by the rotation: the held line ends here.
          yield line(t, t.partial);
          t.partial = '';
        }
        const from = Math.max(t.offset - start, 0);
        if (rotatedSize > from)
          texts.push(t.decoder.write(await readRange(`${t.path}.1`, from, rotatedSize)));
        t.offset = 0;
      }
      if (size > t.offset) {
        texts.push(t.decoder.write(await readRange(t.path, t.offset, size)));
        t.offset = size;
      }
      if (texts.length > 0) {
        const pieces = (t.partial + texts.join('')).split('\n');
        t.partial = pieces.pop() ?? '';
        for (const piece of pieces) yield line(t, piece);
      }
      // A partial line that a whole poll added nothing to is shown as it is (block-buffered
      // writers end most reads mid-line, so an unfinished line is not shown at once).
      if (t.partial !== '' && (texts.length === 0 || t.partial.length >= MAX_PARTIAL)) {
        yield line(t, t.partial);
        t.partial = '';
      }
    }
    try {
      await sleep(options.intervalMs, undefined, signal ? { signal } : {});
    } catch {
      return;
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
