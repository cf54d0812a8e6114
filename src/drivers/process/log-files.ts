import { copyFile, open, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
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
 * at the new end): shift `.1`…`.N`, copy the file to `.1`, truncate it. Lines written between the
 * copy and the truncation are lost; that is the known price of not signalling the workload.
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
    await copyFile(path, `${path}.1`);
  }
  await truncate(path, 0);
  return true;
}

/** Rotation by rename, for a file nobody writes right now (a Job's log before its next run). */
export async function rotateByRename(path: string, maxFiles: number): Promise<void> {
  if (maxFiles === 0) {
    await rm(path, { force: true });
    return;
  }
  await shiftCopies(path, maxFiles);
  await rename(path, `${path}.1`).catch(ignoreMissing);
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
    if (pos > 0) lines.shift(); // the first line is cut
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
