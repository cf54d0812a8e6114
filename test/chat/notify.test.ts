import { describe, expect, it } from 'vitest';
import { createDeduper, createNotificationLimiter, matchRoutes } from '../../src/chat/notify/index.js';
import type { NotificationRoute } from '../../src/core/index.js';

const route = (over: Partial<NotificationRoute>): NotificationRoute => ({
  platform: 'web',
  channel: 'ops',
  apps: ['*'],
  environments: ['*'],
  events: ['sync.succeeded', 'sync.failed'],
  ...over,
});

describe('routing', () => {
  it('matches by event, app glob and environment glob', () => {
    const routes = [
      route({ channel: 'all' }),
      route({ channel: 'prod', environments: ['prod'], events: ['sync.failed', 'health.degraded'] }),
      route({ channel: 'web', apps: ['web*'], events: ['drift.detected'] }),
    ];
    const names = (event: Parameters<typeof matchRoutes>[1], name: string, environment: string) =>
      matchRoutes(routes, event, { name, environment }).map((r) => r.channel);
    expect(names('sync.failed', 'api', 'prod')).toEqual(['all', 'prod']);
    expect(names('sync.succeeded', 'api', 'prod')).toEqual(['all']);
    expect(names('health.degraded', 'api', 'dev')).toEqual([]);
    expect(names('drift.detected', 'web-prod', 'prod')).toEqual(['web']);
    expect(names('drift.detected', 'api', 'prod')).toEqual([]);
  });
});

describe('dedupe', () => {
  it('sends identical events once within the window, again after it', () => {
    let t = 0;
    const dedupe = createDeduper(5 * 60_000, () => t);
    expect(dedupe.admit('a')).toBe(true);
    t = 60_000;
    expect(dedupe.admit('a')).toBe(false);
    expect(dedupe.admit('b')).toBe(true);
    t = 5 * 60_000 + 1;
    expect(dedupe.admit('a')).toBe(true);
    expect(dedupe.size()).toBe(2);
    t = 20 * 60_000;
    expect(dedupe.admit('c')).toBe(true);
    expect(dedupe.size()).toBe(1);
  });
});

describe('rate limit', () => {
  it('lets a channel send its limit per window and reports what it held back', () => {
    let t = 0;
    const limiter = createNotificationLimiter({ limit: 2, windowMs: 1000, now: () => t });
    expect(limiter.take('web/ops')).toEqual({ ok: true, dropped: 0 });
    expect(limiter.take('web/ops')).toEqual({ ok: true, dropped: 0 });
    expect(limiter.take('web/ops')).toEqual({ ok: false });
    expect(limiter.take('web/ops')).toEqual({ ok: false });
    expect(limiter.take('web/other')).toEqual({ ok: true, dropped: 0 });
    t = 1000;
    expect(limiter.take('web/ops')).toEqual({ ok: true, dropped: 2 });
    expect(limiter.take('web/ops')).toEqual({ ok: true, dropped: 0 });
  });
});
