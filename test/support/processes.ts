import { readdir } from 'node:fs/promises';
import { procStatFields } from '../../src/util/index.js';

/** Pids of live (non-zombie) processes in a process group, read from /proc (Linux). */
export async function liveProcessesInGroup(pgid: number): Promise<number[]> {
  const live: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const rest = procStatFields(Number(name)) ?? [];
    const state = rest[0];
    const group = Number(rest[2]);
    if (group === pgid && state !== 'Z' && state !== 'X') live.push(Number(name));
  }
  return live;
}

/** Poll `check` until it returns true or the (generous) deadline passes; returns the last result. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  deadlineMs = 30_000,
): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
