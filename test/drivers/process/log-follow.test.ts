import { appendFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateIfLarger } from '../../../src/drivers/process/log-files.js';
import { followFiles } from '../../../src/drivers/process/log-follow.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${String(from + i).padStart(3, '0')}\n`).join('');

describe('followFiles across a bounded copy-truncate rotation', () => {
  // Issue 12 item 13: rotation now keeps only the last logMaxBytes of the file in `.1`, so `.1`
  // no longer starts at byte 0 of what the follower read; it must carry on at the right byte.
  it('carries on at the byte it had reached, inside a `.1` that starts mid-file', async () => {
    const path = join(await tmp('logs'), '0.stdout.log');
    await writeFile(path, lines(0, 99));
    const abort = new AbortController();
    const follower = followFiles(
      [{ path, stream: 'stdout', source: 'replica-0', offset: (await stat(path)).size, stamped: false }],
      { intervalMs: 5, signal: abort.signal },
    );
    const seen: string[] = [];
    const take = async (last: string) => {
      for (let next = await follower.next(); !next.done; next = await follower.next()) {
        seen.push(next.value.text);
        if (next.value.text === last) return;
      }
    };
    await appendFile(path, lines(100, 119));
    await take('line 119');
    // The follower is suspended (a generator runs only when asked): write, rotate, write again.
    await appendFile(path, lines(120, 129));
    expect(await rotateIfLarger(path, 500, 2)).toBe(true);
    expect((await stat(`${path}.1`)).size).toBeLessThanOrEqual(500);
    await appendFile(path, lines(130, 139));
    await take('line 139');
    abort.abort();
    await follower.return(undefined);
    expect(seen).toEqual(lines(100, 139).trimEnd().split('\n'));
  });

  it('shows a line without a newline once a poll adds nothing to it', async () => {
    const path = join(await tmp('logs'), '0.stdout.log');
    await writeFile(path, '');
    const abort = new AbortController();
    const follower = followFiles(
      [{ path, stream: 'stdout', source: 'replica-0', offset: 0, stamped: false }],
      {
        intervalMs: 5,
        signal: abort.signal,
      },
    );
    await appendFile(path, 'password: ');
    const next = await follower.next();
    expect(next.value).toEqual({ stream: 'stdout', source: 'replica-0', text: 'password: ' });
    await appendFile(path, 'typed\nnext\n');
    expect((await follower.next()).value?.text).toBe('typed');
    expect((await follower.next()).value?.text).toBe('next');
    abort.abort();
    await follower.return(undefined);
  });
});
