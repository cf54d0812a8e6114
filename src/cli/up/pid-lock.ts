import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { WheelhouseError } from '../../core/index.js';
import { processStartTime } from '../../util/index.js';

/** What the pid file holds: enough to tell this Wheelhouse from a later process reusing its pid. */
interface Holder {
  pid: number;
  /** Process start time in clock ticks since boot (`/proc/<pid>/stat`, field 22); Linux only. */
  startTime?: string;
  token?: string;
}

/**
 * One engine per data dir, held by `wheelhouse.pid`. The file is created with O_EXCL, so of two
 * starts at once exactly one gets it. A file left by a process that is gone, or whose pid now
 * belongs to another program (its start time differs from the one recorded, or, for an old file
 * without one, its command line does not mention wheelhouse), is stale and taken over: it is
 * renamed aside, checked to be the same file that was judged stale, and the create is retried.
 * Returns the release, which removes the file only while it is still ours.
 */
export async function claimPidLock(pidFile: string, dataDir: string): Promise<() => Promise<void>> {
  const mine: Holder = { pid: process.pid, token: randomUUID() };
  const startTime = processStartTime(process.pid);
  if (startTime) mine.startTime = startTime;
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (await createExclusive(pidFile, text)) return releaseFor(pidFile, text);
    const found = await readHolderFile(pidFile);
    if (found === undefined) continue; // removed meanwhile: try again
    const holder = parseHolder(found);
    if (holder && isRunningWheelhouse(holder)) {
      throw new WheelhouseError(
        'CONFLICT',
        `another Wheelhouse (pid ${holder.pid}) is running on data dir ${dataDir} (lock ${pidFile}); stop it ` +
          'first, or pass a different --data',
        { details: { pid: holder.pid, pidFile } },
      );
    }
    await takeOver(pidFile, found);
  }
  throw new WheelhouseError(
    'CONFLICT',
    `could not take the lock ${pidFile} on data dir ${dataDir}: other processes keep replacing it; make sure ` +
      'only one `wheelhouse up` starts on this data dir',
    { details: { pidFile } },
  );
}

/**
 * The pid file's text. An empty or half-written file may be a start that has just created it:
 * read again a few times (briefly) before judging it, so a racing start is not taken for stale.
 */
async function readHolderFile(pidFile: string): Promise<string | undefined> {
  let text: string | undefined;
  for (let look = 0; look < 5; look += 1) {
    text = await readFile(pidFile, 'utf8').catch(() => undefined);
    if (text === undefined || parseHolder(text)) return text;
    await sleep(10 * (look + 1));
  }
  return text;
}

async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Moves the stale file aside; puts it back if another start replaced it since it was read. */
async function takeOver(pidFile: string, stale: string): Promise<void> {
  const aside = `${pidFile}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(pidFile, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => stale);
  if (moved !== stale) await link(aside, pidFile).catch(() => {});
  await rm(aside, { force: true });
}

function releaseFor(pidFile: string, text: string): () => Promise<void> {
  return async () => {
    const current = await readFile(pidFile, 'utf8').catch(() => '');
    if (current === text) await rm(pidFile, { force: true });
  };
}

function parseHolder(text: string): Holder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) }; // written by an older Wheelhouse
  try {
    const parsed = JSON.parse(trimmed) as Partial<Holder>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return {
      pid: parsed.pid,
      ...(typeof parsed.startTime === 'string' ? { startTime: parsed.startTime } : {}),
      ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}),
    };
  } catch {
    return undefined;
  }
}

function isRunningWheelhouse(holder: Holder): boolean {
  if (!alive(holder.pid)) return false;
  const startTime = processStartTime(holder.pid);
  if (holder.startTime && startTime) return holder.startTime === startTime;
  const cmdline = commandLine(holder.pid);
  // Without /proc (not Linux) a live pid is all we can see: assume it is the Wheelhouse.
  return cmdline === undefined ? true : /wheelhouse/i.test(cmdline);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}
