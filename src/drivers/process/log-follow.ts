import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine } from '../../core/index.js';

/** One log file to follow from `offset` on. */
export interface FollowTarget {
  path: string;
  stream: LogLine['stream'];
  source: string;
  offset: number;
}

/**
 * Streams lines appended to the files until `signal` aborts, polling their sizes. Survives
 * rotation: when a file shrank, the rest of what was read from it is taken from its `.1` copy.
 */
export async function* followFiles(
  targets: readonly FollowTarget[],
  options: { intervalMs: number; signal: AbortSignal | undefined },
): AsyncGenerator<LogLine> {
  const states = targets.map((t) => ({ ...t, decoder: new StringDecoder('utf8'), partial: '' }));
  const { signal } = options;
  while (!signal?.aborted) {
    for (const t of states) {
      const size = await sizeOf(t.path);
      const texts: string[] = [];
      if (size < t.offset) {
        const rotatedSize = await sizeOf(`${t.path}.1`);
        if (rotatedSize > t.offset)
          texts.push(t.decoder.write(await readRange(`${t.path}.1`, t.offset, rotatedSize)));
        t.offset = 0;
      }
      if (size > t.offset) {
        texts.push(t.decoder.write(await readRange(t.path, t.offset, size)));
        t.offset = size;
      }
      if (texts.length === 0) continue;
      const pieces = (t.partial + texts.join('')).split('\n');
      t.partial = pieces.pop() ?? '';
      for (const piece of pieces) {
        yield { stream: t.stream, source: t.source, text: piece.endsWith('\r') ? piece.slice(0, -1) : piece };
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
