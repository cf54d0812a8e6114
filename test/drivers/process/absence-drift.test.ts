// Issue 14, item 7: a crash loop was reported as drift ("changed by someone or something outside
// Git"): between an exit and its scheduled restart the replica read as "not running", which the
// Process reported as drift. How a missing replica is classified, case by case.
import { describe, expect, it } from 'vitest';
import { absenceDrift } from '../../../src/drivers/process/absence-drift.js';
import type { ExitRecord, ReplicaRecord } from '../../../src/drivers/process/state-types.js';

const at = '2030-01-01T00:00:00.000Z';

function record(lastExit: ExitRecord | undefined, stopped = false): ReplicaRecord {
  return {
    index: 0,
    spec: {} as ReplicaRecord['spec'],
    specHash: 'h',
    cwd: '/tmp',
    revision: 'r',
    pid: null,
    startTime: null,
    startedAt: at,
    restarts: 3,
    consecutiveFailures: 3,
    ...(lastExit ? { lastExit } : {}),
    ...(stopped ? { stopped } : {}),
    logs: { stdout: 'o', stderr: 'e' },
  };
}

describe('absenceDrift: a missing replica is drift only when something outside Git did it', () => {
  it('a crash the supervisor restarts is health, also before the restart is scheduled', () => {
    expect(absenceDrift(record({ code: 1, signal: null, at }), 'always')).toBeUndefined();
    expect(absenceDrift(record({ code: 1, signal: null, at }), 'on-failure')).toBeUndefined();
    expect(absenceDrift(record({ code: null, signal: 'SIGSEGV', at }), 'on-failure')).toBeUndefined();
  });

  it('an exit, crash or failed start that is not restarted is health too', () => {
    expect(absenceDrift(record({ code: 1, signal: null, at }), 'never')).toBeUndefined();
    expect(absenceDrift(record({ code: 0, signal: null, at }), 'on-failure')).toBeUndefined();
    expect(absenceDrift(record({ code: null, signal: 'SIGABRT', at }), 'never')).toBeUndefined();
    expect(
      absenceDrift(record({ code: null, signal: null, at, error: 'program not found' }), 'never'),
    ).toBeUndefined();
  });

  it('stopped, killed from outside and left dead, or never started: drift', () => {
    expect(absenceDrift(record(undefined, true), 'always')).toBe('it was stopped');
    expect(absenceDrift(record({ code: null, signal: 'SIGKILL', at }), 'never')).toBe(
      'was killed by SIGKILL',
    );
    expect(absenceDrift(record(undefined), 'always')).toBe('never started');
  });
});
