import type { LogLine } from '../../core/index.js';
import { tailWithRotated } from './log-files.js';
import type { FollowTarget } from './log-follow.js';
import { byTime, logLineOf } from './log-stamp.js';

/**
 * The last `n` lines over several log files (and their rotated copies), interleaved by time: each
 * file gives its own last `n`, so the newest line of every stream is there before the merge cuts.
 * Sets each target's offset to where a follower carries on.
 */
export async function tailTargets(targets: FollowTarget[], n: number, maxFiles: number): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (const target of targets) {
    const tail = await tailWithRotated(target.path, n, maxFiles);
    target.offset = tail.size;
    for (const raw of tail.lines) lines.push(logLineOf(target, raw));
  }
  return n > 0 ? byTime(lines).slice(-n) : [];
}
