import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { slugOf } from './paths.js';

/** Where one resource's logs live: `<stateDir>/logs/<slug>/`. */
export function logDirOf(stateDir: string, key: string): string {
  return join(stateDir, 'logs', slugOf(key));
}

export function replicaLogPaths(dir: string, index: number): { stdout: string; stderr: string } {
  return { stdout: join(dir, `${index}.stdout.log`), stderr: join(dir, `${index}.stderr.log`) };
}

/**
 * Copy-truncate rotation for a file a running process appends to (O_APPEND, so it keeps writing
 * at the new end): shift `.1`…`.N`, copy the last `maxBytes` of the file (from a line start) to
 * `.1`, truncate it. The copy is bounded by the size seen before copying, so a writer that never
 * pauses cannot make `.1` larger than `maxBytes` (copying "to the end" of a growing file once made
 * a 200 MB `.1` under a 10 MiB limit). What was written before the kept tail, and between the
 * copy and the truncation, is dropped: the known price of not signalling the workload.
 * `<file>.1.offset` records where in the file `.1` starts, for followers (see log-follow.ts).
 */
export async function rotateIfLarger(path: string, maxBytes: number, maxFiles: number): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return false;
  }
  if (size <= maxBytes) return false;
  if (maxFiles > 0) {
    await shiftCopies(path, maxFiles);
    const start = await lineStartFrom(path, size - maxBytes, size);
    await pipeline(createReadStream(path, { start, end: size - 1 }), createWriteStream(`${path}.1`));
    await writeFile(rotatedOffsetPath(path), `${start}\n`);
  }
  await truncate(path, 0);
  return true;
}

/** Where `<file>.1` begins in the file it was copied from (0 when unknown). */
export function rotatedOffsetPath(path: string): string {
  return `${path}.1.offset`;
}

/** The first line start at or after `from` (just past a newline), or `from` if none comes before `end`. */
async function lineStartFrom(path: string, from: number, end: number): Promise<number> {
  if (from <= 0) return 0;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (let pos = from - 1; pos < end; pos += CHUNK) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, end - pos), pos);
      if (bytesRead === 0) break;
      const at = buffer.subarray(0, bytesRead).indexOf(10);
      if (at !== -1) return Math.min(pos + at + 1, end);
    }
    return from;
  } finally {
    await handle.close();
  }
}

/** Rotation by rename, for a file nobody writes right now (a Job's log before its next run). */
export async function rotateByRename(path: string, maxFiles: number): Promise<void> {
  if (maxFiles === 0) {
    await rm(path, { force: true });
    return;
  }
  await shiftCopies(path, maxFiles);
  await rename(path, `${path}.1`).catch(ignoreMissing);
  await rm(rotatedOffsetPath(path), { force: true }); // `.1` is the whole file now
}

async function shiftCopies(path: string, maxFiles: number): Promise<void> {
  await rm(`${path}.${maxFiles}`, { force: true });
  for (let i = maxFiles - 1; i >= 1; i--) {
    await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(ignoreMissing);
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}

const CHUNK = 64 * 1024;
const MAX_TAIL_BYTES = 4 * 1024 * 1024;

/** The last `n` lines of one file (missing file: none). A final line without newline counts. */
export async function lastLines(path: string, n: number): Promise<string[]> {
  return (await lastLinesAndSize(path, n)).lines;
}

/** The last `n` lines and the size they were read up to (where a follower carries on). */
export async function lastLinesAndSize(path: string, n: number): Promise<{ lines: string[]; size: number }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], size: 0 };
    throw err;
  }
  try {
    const size = (await handle.stat()).size;
    if (n <= 0) return { lines: [], size };
    let pos = size;
    const chunks: Buffer[] = [];
    let newlines = 0;
    let read = 0;
    while (pos > 0 && newlines <= n && read < MAX_TAIL_BYTES) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      const { bytesRead } = await handle.read(chunk, 0, len, pos);
      const part = chunk.subarray(0, bytesRead);
      chunks.unshift(part);
      read += bytesRead;
      for (const byte of part) if (byte === 10) newlines++;
    }
    const lines = splitLines(Buffer.concat(chunks).toString('utf8'));
    // The first line is cut; drop it, unless it is all there is (output without newlines must
    // still show: its last MAX_TAIL_BYTES are better than nothing).
    if (pos > 0 && lines.length > 1) lines.shift();
    return { lines: lines.slice(-n), size };
  } finally {
    await handle.close();
  }
}

/** The last `n` lines over a file and its rotated copies, and the size of the current file. */
export async function tailWithRotated(
  path: string,
  n: number,
  maxFiles: number,
): Promise<{ lines: string[]; size: number }> {
  const current = await lastLinesAndSize(path, n);
  let lines = current.lines;
  for (let i = 1; i <= maxFiles && lines.length < n; i++) {
    lines = [...(await lastLines(`${path}.${i}`, n - lines.length)), ...lines];
  }
  return { lines, size: current.size };
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Where `<file>.1` starts in the original file, as the last copy rotation recorded (0 if none). */
export async function rotatedOffset(path: string): Promise<number> {
  try {
    const value = Number.parseInt(await readFile(rotatedOffsetPath(path), 'utf8'), 10);
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}
