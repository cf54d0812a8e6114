import { describe, expect, it } from 'vitest';
import { cronMatches, lastStartWithin, parseCron } from '../../src/config/cron.js';
import { closedWindow, parseControlConfig } from '../../src/config/index.js';
import { formatIssue, type SyncWindow } from '../../src/core/index.js';

const parse = (text: string) =>
  parseControlConfig({
    text,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: ['process'],
  });

const schedule = (text: string) => {
  const parsed = parseCron(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

describe('cron schedules of sync windows', () => {
  it('matches on the wall clock of the time zone, daylight saving time included', () => {
    const at22 = schedule('0 22 * * *');
    // 22:00 in Berlin is 21:00 UTC in winter (CET) and 20:00 UTC in summer (CEST).
    expect(cronMatches(at22, new Date('2026-01-15T21:00:00Z'), 'Europe/Berlin')).toBe(true);
    expect(cronMatches(at22, new Date('2026-07-15T20:00:00Z'), 'Europe/Berlin')).toBe(true);
    expect(cronMatches(at22, new Date('2026-07-15T21:00:00Z'), 'Europe/Berlin')).toBe(false);
    expect(cronMatches(at22, new Date('2026-07-15T22:00:00Z'), 'UTC')).toBe(true);
  });

  it('reads lists, ranges, steps and names; Sunday is 0 or 7', () => {
    const weekdays = schedule('*/15 8-18/2 * jan-mar mon-fri');
    expect(cronMatches(weekdays, new Date('2026-02-02T10:45:00Z'), 'UTC')).toBe(true); // Monday
    expect(cronMatches(weekdays, new Date('2026-02-02T09:45:00Z'), 'UTC')).toBe(false); // odd hour
    expect(cronMatches(weekdays, new Date('2026-02-01T10:45:00Z'), 'UTC')).toBe(false); // Sunday
    expect(cronMatches(weekdays, new Date('2026-04-06T10:45:00Z'), 'UTC')).toBe(false); // April
    expect(cronMatches(schedule('0 0 * * 7'), new Date('2026-02-01T00:00:00Z'), 'UTC')).toBe(true);
    // Both day fields given: either may match, as in cron.
    const either = schedule('0 0 13 * fri');
    expect(cronMatches(either, new Date('2026-02-13T00:00:00Z'), 'UTC')).toBe(true);
    expect(cronMatches(either, new Date('2026-02-06T00:00:00Z'), 'UTC')).toBe(true);
    expect(cronMatches(either, new Date('2026-02-07T00:00:00Z'), 'UTC')).toBe(false);
  });

  it('finds the newest start inside the duration, across hours and daylight saving time', () => {
    const steps = schedule('*/20 9 * * *');
    expect(lastStartWithin(steps, new Date('2026-03-03T10:05:00Z'), 30 * 60_000, 'UTC')).toEqual(
      new Date('2026-03-03T09:40:00Z'),
    );
    expect(lastStartWithin(steps, new Date('2026-03-03T10:15:00Z'), 30 * 60_000, 'UTC')).toBeUndefined();
    // 01:30 Berlin on the night clocks go forward (02:00 CET -> 03:00 CEST) is 00:30 UTC.
    const early = schedule('30 1 * * *');
    const twoHours = 2 * 3_600_000;
    expect(lastStartWithin(early, new Date('2026-03-29T02:15:00Z'), twoHours, 'Europe/Berlin')).toEqual(
      new Date('2026-03-29T00:30:00Z'),
    );
    expect(
      lastStartWithin(early, new Date('2026-03-29T02:30:00Z'), twoHours, 'Europe/Berlin'),
    ).toBeUndefined();
    // A week-long window opened six days ago is found (the walk skips hours the schedule does not name).
    expect(
      lastStartWithin(schedule('0 22 * * *'), new Date('2026-03-09T12:00:00Z'), 7 * 24 * 3_600_000, 'UTC'),
    ).toEqual(new Date('2026-03-08T22:00:00Z'));
  });

  it('says which field is wrong and how a schedule is written', () => {
    expect(parseCron('0 25 * * *')).toEqual({
      error:
        'hour "25" is outside 0-23 — write five fields "minute hour day-of-month month day-of-week", e.g. "0 22 * * mon-fri" (22:00 on weekdays)',
    });
    expect(parseCron('0 22 * *')).toMatchObject({
      error: expect.stringMatching(/^"0 22 \* \*" has 4 fields, not 5/),
    });
    expect(parseCron('0 22 * * funday')).toMatchObject({
      error: expect.stringMatching(/^day of week "funday" is not/),
    });
  });
});

describe('which window holds an app', () => {
  const window = (over: Partial<SyncWindow>): SyncWindow => ({
    name: 'night',
    kind: 'deny',
    schedule: '0 22 * * *',
    durationMs: 8 * 3_600_000,
    timeZone: 'UTC',
    apps: [],
    environments: [],
    targets: [],
    ...over,
  });
  const web = { name: 'web', environment: 'prod', target: 'local' };

  it('a deny window holds the apps it selects while it is open, and says until when', () => {
    const windows = [window({ environments: ['prod'] })];
    expect(closedWindow(windows, web, new Date('2026-03-03T23:30:00Z'))).toEqual({
      window: 'night',
      kind: 'deny',
      reason: 'the deny window night ("0 22 * * *" UTC for 8h) is open until 2026-03-04T06:00:00.000Z',
      until: '2026-03-04T06:00:00.000Z',
    });
    expect(closedWindow(windows, web, new Date('2026-03-04T06:00:00Z'))).toBeUndefined();
    expect(
      closedWindow(windows, { ...web, environment: 'dev' }, new Date('2026-03-03T23:30:00Z')),
    ).toBeUndefined();
  });

  it('an app with allow windows syncs by itself only inside one; deny wins over allow', () => {
    const allow = window({ name: 'office', kind: 'allow', schedule: '0 9 * * mon-fri', apps: ['web'] });
    expect(closedWindow([allow], web, new Date('2026-03-03T10:00:00Z'))).toBeUndefined();
    expect(closedWindow([allow], web, new Date('2026-03-03T18:00:00Z'))).toMatchObject({
      kind: 'allow',
      window: 'office',
      reason: 'it is outside its allow window office ("0 9 * * mon-fri" UTC for 8h)',
    });
    const lunch = window({ name: 'lunch', schedule: '0 12 * * *', durationMs: 3_600_000 });
    expect(closedWindow([allow, lunch], web, new Date('2026-03-03T12:30:00Z'))).toMatchObject({
      window: 'lunch',
    });
  });
});

describe('windows: in wheelhouse.yaml', () => {
  it('builds each window with its defaults (UTC, every app, named by position)', () => {
    const { config, issues } = parse(`apps:
  - { name: web, path: apps/web }
windows:
  - { kind: deny, schedule: "0 22 * * *", duration: 8h }
  - { name: office, kind: allow, schedule: "0 9 * * mon-fri", duration: 9h, timeZone: Europe/Berlin, environments: [prod] }
`);
    expect(issues).toEqual([]);
    expect(config?.windows).toEqual([
      {
        name: 'windows[0]',
        kind: 'deny',
        schedule: '0 22 * * *',
        durationMs: 28_800_000,
        timeZone: 'UTC',
        apps: [],
        environments: [],
        targets: [],
      },
      {
        name: 'office',
        kind: 'allow',
        schedule: '0 9 * * mon-fri',
        durationMs: 32_400_000,
        timeZone: 'Europe/Berlin',
        apps: [],
        environments: ['prod'],
        targets: [],
      },
    ]);
  });

  it('refuses a bad schedule, time zone, kind and duration, each at its line', () => {
    const { issues } = parse(`windows:
  - kind: deny
    schedule: "0 24 * * *"
    duration: 8h
    timeZone: Mars/Olympus
  - kind: maybe
    schedule: "0 22 * * *"
    duration: 9d
`);
    const lines = issues.map(formatIssue);
    expect(lines[0]).toMatch(
      /^wheelhouse\.yaml:3:15 windows\[0\]\.schedule: hour "24" is outside 0-23 — write five fields/,
    );
    expect(lines[1]).toBe(
      'wheelhouse.yaml:5:15 windows[0].timeZone: is not a time zone — use an IANA name such as UTC, Europe/Berlin or America/New_York',
    );
    expect(lines[2]).toMatch(/^wheelhouse\.yaml:6:11 windows\[1\]\.kind: /);
    expect(lines[3]).toMatch(/^wheelhouse\.yaml:8:15 windows\[1\]\.duration: /);
    expect(lines).toHaveLength(4);
  });
});
