import { describe, expect, it } from 'vitest';
import type { DesiredResource, LiveResource } from '../../src/core/index.js';
import { diffResources } from '../../src/diff/index.js';
import { describePlan, type PlanInput, planSync } from '../../src/reconcile/index.js';
import { fakeKindOrder } from '../support/fake-driver.js';
import { desired, live } from '../support/resources.js';

function plan(
  want: DesiredResource[],
  have: LiveResource[],
  options: Partial<Pick<PlanInput, 'prune' | 'allowEmpty' | 'kindOrder'>> & { digest?: string } = {},
) {
  return planSync({
    desired: want,
    live: have,
    changes: diffResources(want, have, { digest: options.digest ?? 'd1' }),
    prune: options.prune ?? true,
    allowEmpty: options.allowEmpty ?? false,
    kindOrder: options.kindOrder ?? fakeKindOrder,
  });
}

const names = (p: ReturnType<typeof planSync>) =>
  p.steps.map((step) => `${step.phase}:${step.kind}/${step.name}`);

describe('planSync ordering', () => {
  it('orders by wave, then kind order, then name', () => {
    const p = plan(
      [
        desired('Process', 'web', { v: 1 }),
        desired('Process', 'api', { v: 1 }),
        desired('File', 'conf', { v: 1 }),
        desired('Process', 'db', { v: 1 }, { wave: -1 }),
        desired('File', 'late', { v: 1 }, { wave: 2 }),
      ],
      [],
    );
    expect(names(p)).toEqual([
      'Sync:Process/db',
      'Sync:File/conf',
      'Sync:Process/api',
      'Sync:Process/web',
      'Sync:File/late',
    ]);
  });

  it('uses the kind order it is given, and kind name to break ties', () => {
    const order = (kind: string) => (kind === 'Process' ? 0 : 5);
    const p = plan(
      [desired('File', 'a', { v: 1 }), desired('Process', 'b', { v: 1 }), desired('Dir', 'c', { v: 1 })],
      [],
      { kindOrder: order },
    );
    expect(names(p)).toEqual(['Sync:Process/b', 'Sync:Dir/c', 'Sync:File/a']);
  });

  it('puts PreSync hooks first, PostSync hooks after the resources, prune last in reverse order', () => {
    const oldFile = desired('File', 'old-conf', { v: 1 });
    const oldProc = desired('Process', 'old-web', { v: 1 });
    const oldEarly = desired('Process', 'old-a', { v: 1 });
    const p = plan(
      [
        desired('Job', 'notify', { phase: 'PostSync' }, { hook: 'PostSync' }),
        desired('Process', 'web', { v: 2 }),
        desired('Job', 'migrate', { phase: 'PreSync' }, { hook: 'PreSync', wave: 1 }),
        desired('Job', 'backup', { phase: 'PreSync' }, { hook: 'PreSync' }),
        desired('File', 'conf', { v: 1 }),
      ],
      [live(oldFile), live(oldProc), live(oldEarly)],
    );
    expect(names(p)).toEqual([
      'PreSync:Job/backup',
      'PreSync:Job/migrate',
      'Sync:File/conf',
      'Sync:Process/web',
      'PostSync:Job/notify',
      'Prune:Process/old-web',
      'Prune:Process/old-a',
      'Prune:File/old-conf',
    ]);
    expect(
      p.steps.filter((step) => step.action === 'remove').every((step) => step.change.action === 'deleted'),
    ).toBe(true);
  });

  it('skips unchanged resources and hooks that already ran for the digest', () => {
    const web = desired('Process', 'web', { v: 1 });
    const migrate = desired('Job', 'migrate', { phase: 'PreSync' }, { hook: 'PreSync' });
    const p = plan([web, migrate], [live(web), live(migrate, { appliedDigest: 'd1' })], { digest: 'd1' });
    expect(p.steps).toEqual([]);
    expect(p.skipped.map((skip) => [skip.name, skip.reason])).toEqual([
      ['migrate', 'unchanged'],
      ['web', 'unchanged'],
    ]);
    expect(describePlan(p)).toBe('2 unchanged');
    const next = plan([web, migrate], [live(web), live(migrate, { appliedDigest: 'd1' })], { digest: 'd2' });
    expect(names(next)).toEqual(['PreSync:Job/migrate']);
  });

  it('applies a resource whose live state drifted even with an equal spec', () => {
    const web = desired('Process', 'web', { v: 1 });
    const p = plan([web], [live(web, { drift: 'not running' })]);
    expect(names(p)).toEqual(['Sync:Process/web']);
    expect(p.steps[0]?.change.drift).toBe('not running');
  });
});

describe('planSync prune rules', () => {
  const web = desired('Process', 'web', { v: 1 });
  const old = desired('Process', 'old', { v: 1 });

  it('does not prune when prune is off, and says why', () => {
    const p = plan([web], [live(web), live(old)], { prune: false });
    expect(p.steps).toEqual([]);
    expect(p.skipped).toContainEqual(expect.objectContaining({ name: 'old', reason: 'prune-disabled' }));
  });

  it('refuses to prune everything when the render is empty, unless allowEmpty', () => {
    const refused = plan([], [live(web), live(old)]);
    expect(refused.steps).toEqual([]);
    expect(refused.refused?.code).toBe('EMPTY_RENDER');
    expect(refused.refused?.keys.sort()).toEqual([old.key, web.key].sort());
    expect(refused.refused?.message).toContain('allowEmpty');
    expect(refused.skipped.filter((skip) => skip.reason === 'empty-render')).toHaveLength(2);

    const allowed = plan([], [live(web), live(old)], { allowEmpty: true });
    expect(allowed.refused).toBeUndefined();
    expect(names(allowed)).toEqual(['Prune:Process/web', 'Prune:Process/old']);
  });

  it('has nothing to refuse when nothing is live', () => {
    const p = plan([], []);
    expect(p.refused).toBeUndefined();
    expect(describePlan(p)).toBe('nothing to do');
  });

  it('prunes only what the driver reports as owned', () => {
    const changes = diffResources([web], [live(web), live(old)]);
    const p = planSync({
      desired: [web],
      live: [live(web)],
      changes,
      prune: true,
      allowEmpty: false,
      kindOrder: fakeKindOrder,
    });
    expect(p.steps).toEqual([]);
    expect(p.skipped).toContainEqual(expect.objectContaining({ name: 'old', reason: 'not-owned' }));
  });

  it('keeps the desired list and the change set for the runner', () => {
    const p = plan([web], []);
    expect(p.desired).toEqual([web]);
    expect(p.changes.map((change) => change.action)).toEqual(['created']);
    expect(describePlan(p)).toBe('1 to apply');
  });
});
