import { describe, expect, it } from 'vitest';
import {
  type AppLike,
  activityGroupOf,
  EMPTY_APP_FILTER,
  environmentsOf,
  filterActivity,
  filterApps,
  filterFromQuery,
  filterToQuery,
} from '../../src/web/lib/filters.js';

const app = (name: string, over: Partial<AppLike> = {}): AppLike => ({
  name,
  environment: 'dev',
  target: 'local',
  syncStatus: 'Synced',
  health: { status: 'Healthy' },
  ...over,
});

const apps = [
  app('web', { revision: '3f2a9c1d0e4b7aa0', commitSubject: 'Raise the pool size' }),
  app('api', { environment: 'prod', health: { status: 'Degraded' }, syncStatus: 'OutOfSync' }),
  app('worker', {
    environment: 'prod',
    target: 'edge',
    lock: { holder: 'slack:U1', reason: 'db migration' },
  }),
];

describe('app filters', () => {
  it('keeps everything with an empty filter', () => {
    expect(filterApps(apps, EMPTY_APP_FILTER).map((a) => a.name)).toEqual(['web', 'api', 'worker']);
  });

  it('matches every word of the text against name, target, revision, subject and lock', () => {
    const names = (text: string) => filterApps(apps, { ...EMPTY_APP_FILTER, text }).map((a) => a.name);
    expect(names('WEB')).toEqual(['web']);
    expect(names('pool size')).toEqual(['web']);
    expect(names('3f2a9c1')).toEqual(['web']);
    expect(names('edge')).toEqual(['worker']);
    expect(names('migration')).toEqual(['worker']);
    expect(names('prod degraded')).toEqual(['api']);
    expect(names('nothing-like-this')).toEqual([]);
  });

  it('filters by environment and health, and "needs attention" by either problem', () => {
    expect(filterApps(apps, { ...EMPTY_APP_FILTER, environment: 'prod' }).map((a) => a.name)).toEqual([
      'api',
      'worker',
    ]);
    expect(filterApps(apps, { ...EMPTY_APP_FILTER, health: 'Degraded' }).map((a) => a.name)).toEqual(['api']);
    const attention = [...apps, app('drifted', { syncStatus: 'OutOfSync' })];
    expect(filterApps(attention, { ...EMPTY_APP_FILTER, health: 'attention' }).map((a) => a.name)).toEqual([
      'api',
      'drifted',
    ]);
    expect(environmentsOf(apps)).toEqual(['dev', 'prod']);
  });

  it('round-trips through the URL query', () => {
    const filter = { text: 'pool size', environment: 'prod', health: 'attention' };
    expect(filterFromQuery(filterToQuery(filter))).toEqual(filter);
    expect(filterToQuery(EMPTY_APP_FILTER)).toBe('');
    expect(filterFromQuery('')).toEqual(EMPTY_APP_FILTER);
  });
});

describe('activity filters', () => {
  it('groups timeline kinds and keeps only the groups shown', () => {
    expect(activityGroupOf('commit')).toBe('commits');
    expect(activityGroupOf('webhook')).toBe('commands');
    expect(activityGroupOf('refusal')).toBe('refusals');
    expect(activityGroupOf('something-new')).toBe('other');
    const items = [{ kind: 'commit' }, { kind: 'sync' }, { kind: 'refusal' }, { kind: 'approval' }];
    expect(filterActivity(items, new Set(['commits', 'refusals'] as const)).map((i) => i.kind)).toEqual([
      'commit',
      'refusal',
    ]);
  });
});
