import { describe, expect, it } from 'vitest';
import {
  computeDelivery,
  type DeliveryCommit,
  type DeliveryHistory,
  type DeliverySync,
  figureLines,
  type HealthTransition,
  roughDuration,
} from '../../src/core/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-02T00:00:00.000Z'); // a Monday
const at = (ms: number) => new Date(T0 + ms).toISOString();

let seq = 0;
function sync(
  app: string,
  digest: string,
  change: string,
  start: number,
  result: DeliverySync['result'] = 'succeeded',
): DeliverySync {
  seq += 1;
  return {
    id: `s${seq}`,
    app,
    revision: change,
    digest,
    change,
    actor: 'git:auto',
    trigger: 'auto',
    dryRun: false,
    result,
    startedAt: at(start),
    finishedAt: at(start + MIN),
  };
}
const commit = (sha: string, when: number, author = 'Ann'): DeliveryCommit => ({ sha, at: at(when), author });
const health = (
  app: string,
  when: number,
  from: HealthTransition['from'],
  to: HealthTransition['to'],
): HealthTransition => ({
  app,
  at: at(when),
  from,
  to,
});

function history(partial: Partial<DeliveryHistory>): DeliveryHistory {
  return {
    apps: [{ name: 'web', environment: 'prod', team: 'payments' }],
    syncs: [],
    commits: {},
    health: [],
    rollbacks: [],
    ...partial,
  };
}
const week = { from: at(0), to: at(7 * 24 * HOUR) };

describe('delivery figures', () => {
  it('gives each commit of a batch its own lead time to the sync that delivered them together', () => {
    const report = computeDelivery(
      history({
        commits: {
          web: [commit('a', 0), commit('b', 1 * HOUR), commit('c', 2 * HOUR), commit('d', 3 * HOUR)],
        },
        // a is the baseline; b, c and d arrive in one sync that ends at 4h.
        syncs: [sync('web', 't1', 'a', 10 * MIN), sync('web', 't2', 'd', 4 * HOUR - MIN)],
      }),
      week,
    );
    const figures = report.total.figures;
    expect(figures.deployments).toBe(2);
    expect(figures.leadTime.count).toBe(3);
    expect(figures.leadTime.medianMs).toBe(2 * HOUR);
    expect(figures.leadTime.p90Ms).toBe(3 * HOUR);
    expect(figures.changeFailure).toEqual({ changes: 2, failed: 0, rate: 0 });
    expect(figures.deploymentsPerDay).toBeCloseTo(2 / 7);
  });

  it('counts a rolled-back change as failed and the rollback itself as a deployment', () => {
    const report = computeDelivery(
      history({
        commits: { web: [commit('a', 0), commit('b', HOUR), commit('r', 3 * HOUR)] },
        syncs: [
          sync('web', 't1', 'a', 0),
          sync('web', 't2', 'b', 2 * HOUR),
          sync('web', 't1', 'r', 3 * HOUR + MIN),
        ],
        rollbacks: [{ app: 'web', at: at(3 * HOUR), actor: 'slack:U1' }],
      }),
      week,
    );
    const f = report.total.figures;
    expect(f.deployments).toBe(3);
    expect(f.changeFailure).toEqual({ changes: 3, failed: 1, rate: 1 / 3 });
    // b took 1h+1min, the rollback commit r 2min.
    expect(f.leadTime.count).toBe(2);
  });

  it('counts a failed sync as a failed change and its fix as a deployment', () => {
    const report = computeDelivery(
      history({
        commits: { web: [commit('a', 0), commit('bad', HOUR), commit('fix', 2 * HOUR)] },
        syncs: [
          sync('web', 't1', 'a', 0),
          sync('web', 't2', 'bad', HOUR, 'failed'),
          sync('web', 't2', 'bad', HOUR + 5 * MIN, 'failed'), // a retry of the same change
          sync('web', 't3', 'fix', 2 * HOUR),
        ],
      }),
      week,
    );
    const f = report.total.figures;
    expect(f.deployments).toBe(2);
    expect(f.changeFailure).toEqual({ changes: 3, failed: 1, rate: 1 / 3 });
    // "bad" was delivered only by the fix's sync: both commits wait for it.
    expect(f.leadTime.count).toBe(2);
    // bad: 1h 1min, fix: 1min.
    expect(f.leadTime.medianMs).toBe((HOUR + 2 * MIN) / 2);
  });

  it('keeps a flapping app in one incident until it is Healthy again and blames the change before it', () => {
    const report = computeDelivery(
      history({
        commits: { web: [commit('a', 0), commit('b', HOUR)] },
        syncs: [sync('web', 't1', 'a', 0), sync('web', 't2', 'b', HOUR)],
        health: [
          health('web', 2 * HOUR, 'Healthy', 'Degraded'),
          health('web', 2 * HOUR + 5 * MIN, 'Degraded', 'Progressing'),
          health('web', 2 * HOUR + 6 * MIN, 'Progressing', 'Degraded'),
          health('web', 2 * HOUR + 20 * MIN, 'Degraded', 'Progressing'),
          health('web', 2 * HOUR + 30 * MIN, 'Progressing', 'Healthy'),
          health('web', 30 * HOUR, 'Healthy', 'Degraded'), // still open at the end
        ],
      }),
      week,
    );
    const f = report.total.figures;
    expect(f.restore).toEqual({ count: 1, medianMs: 30 * MIN, p90Ms: 30 * MIN, open: 1 });
    // The first change stayed healthy; the second went Degraded within a day.
    expect(f.changeFailure).toEqual({ changes: 2, failed: 1, rate: 0.5 });
  });

  it('does not blame a change for trouble after the failure window', () => {
    const report = computeDelivery(
      history({
        syncs: [sync('web', 't1', 'a', 0)],
        health: [health('web', 2 * HOUR, 'Healthy', 'Degraded')],
      }),
      { ...week, failureWindowMs: HOUR },
    );
    expect(report.total.figures.changeFailure).toEqual({ changes: 1, failed: 0, rate: 0 });
  });

  it('ignores dry runs, cancelled syncs and re-syncs of the same tree', () => {
    const dry = { ...sync('web', 't2', 'b', HOUR), dryRun: true };
    const report = computeDelivery(
      history({
        syncs: [
          sync('web', 't1', 'a', 0),
          sync('web', 't1', 'a', HOUR / 2),
          dry,
          sync('web', 't3', 'c', 2 * HOUR, 'cancelled'),
        ],
      }),
      week,
    );
    expect(report.total.figures.deployments).toBe(1);
    expect(report.total.figures.changeFailure.changes).toBe(1);
  });

  it('splits figures by app, environment and team, and by day', () => {
    const report = computeDelivery(
      history({
        apps: [
          { name: 'web', environment: 'prod', team: 'payments' },
          { name: 'api', environment: 'staging' },
        ],
        syncs: [
          sync('web', 't1', 'a', 0),
          sync('api', 'u1', 'x', 25 * HOUR),
          sync('api', 'u2', 'y', 26 * HOUR, 'failed'),
        ],
      }),
      { from: at(0), to: at(3 * 24 * HOUR), bucket: 'day' },
    );
    expect(report.byApp.map((g) => [g.key, g.figures.deployments])).toEqual([
      ['api', 1],
      ['web', 1],
    ]);
    expect(report.byEnvironment.map((g) => g.key)).toEqual(['prod', 'staging']);
    expect(report.byTeam.map((g) => [g.key, g.figures.apps])).toEqual([['payments', 1]]);
    expect(report.total.buckets.map((b) => [b.start, b.deployments, b.failed])).toEqual([
      [at(0), 1, 0],
      [at(24 * HOUR), 1, 1],
      [at(48 * HOUR), 0, 0],
    ]);
  });

  it('gives each day or week the figures of that day or week alone, edges of the period included', () => {
    // Syncs every 13 hours over five weeks, every fourth failing into a Degraded hour, and a
    // period that starts and ends inside a week: each bucket must equal the period cut to it.
    const syncs: DeliverySync[] = [];
    const commits: DeliveryCommit[] = [];
    const changes: HealthTransition[] = [];
    for (let n = 0; n < 65; n++) {
      const when = n * 13 * HOUR;
      commits.push(commit(`c${n}`, when - 2 * HOUR - n * MIN));
      syncs.push(sync('web', `t${n}`, `c${n}`, when, n % 9 === 0 ? 'failed' : 'succeeded'));
      if (n % 4 === 0) {
        changes.push(health('web', when + 2 * MIN, 'Healthy', 'Degraded'));
        changes.push(health('web', when + HOUR + n * MIN, 'Degraded', 'Healthy'));
      }
    }
    const full = history({ syncs, commits: { web: commits }, health: changes });
    const from = 3 * 24 * HOUR + 5 * HOUR; // a Thursday
    const to = 33 * 24 * HOUR + 7 * HOUR;
    const report = computeDelivery(full, { from: at(from), to: at(to), bucket: 'week' });
    expect(report.total.buckets.length).toBe(5);
    for (const [i, b] of report.total.buckets.entries()) {
      const start = Math.max(from, Date.parse(b.start) - T0);
      const end = Math.min(to, Date.parse(b.start) - T0 + 7 * 24 * HOUR);
      const alone = computeDelivery(full, { from: at(start), to: at(end), bucket: 'week' }).total;
      expect({ i, ...b }).toEqual({
        i,
        start: b.start,
        deployments: alone.figures.deployments,
        changes: alone.figures.changeFailure.changes,
        failed: alone.figures.changeFailure.failed,
        ...(alone.figures.leadTime.medianMs !== undefined
          ? { leadTimeMedianMs: alone.figures.leadTime.medianMs }
          : {}),
        ...(alone.figures.restore.medianMs !== undefined
          ? { restoreMedianMs: alone.figures.restore.medianMs }
          : {}),
      });
    }
    const sum = (key: 'deployments' | 'changes') => report.total.buckets.reduce((n, b) => n + b[key], 0);
    expect(sum('deployments')).toBe(report.total.figures.deployments);
    expect(sum('changes')).toBe(report.total.figures.changeFailure.changes);
    expect(report.total.figures.deployments).toBeGreaterThan(40);
  });

  it('leaves out what happened outside the period', () => {
    const report = computeDelivery(
      history({ syncs: [sync('web', 't1', 'a', 0), sync('web', 't2', 'b', 8 * 24 * HOUR)] }),
      { from: at(HOUR), to: at(7 * 24 * HOUR) },
    );
    expect(report.total.figures.deployments).toBe(0);
    expect(report.total.figures.leadTime).toEqual({ count: 0 });
  });
});

describe('delivery figures as text', () => {
  it('says durations in their two largest units', () => {
    expect([0, 999, 61_000, 5 * MIN, 26 * HOUR + 5 * MIN, 3 * 24 * HOUR].map(roughDuration)).toEqual([
      '0s',
      '0s',
      '1m 1s',
      '5m',
      '1d 2h',
      '3d',
    ]);
  });

  it('says each figure with its counts, and "none" where there is nothing to measure', () => {
    const report = computeDelivery(history({ syncs: [sync('web', 't1', 'a', 0)] }), week);
    expect(figureLines(report.total.figures)).toEqual([
      ['Deployment frequency', '1 deployment (0.14 a day)'],
      ['Lead time for changes', 'none (no commits)'],
      ['Change failure rate', '0% (0 of 1 changes)'],
      ['Time to restore', 'none (no incidents)'],
    ]);
  });
});
