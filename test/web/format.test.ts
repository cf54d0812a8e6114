import { describe, expect, it } from 'vitest';
import {
  actorLabel,
  changeSummary,
  countChanges,
  durationBetween,
  formatDuration,
  relativeTime,
  shortSha,
} from '../../src/web/lib/format.js';
import { healthPresentation, resultPresentation, syncPresentation } from '../../src/web/lib/status.js';

describe('formatting', () => {
  const now = Date.parse('2026-01-10T12:00:00.000Z');
  it('says how long ago, and how soon', () => {
    expect(relativeTime('2026-01-10T11:59:58.000Z', now)).toBe('just now');
    expect(relativeTime('2026-01-10T11:59:18.000Z', now)).toBe('42s ago');
    expect(relativeTime('2026-01-10T11:55:00.000Z', now)).toBe('5m ago');
    expect(relativeTime('2026-01-10T09:00:00.000Z', now)).toBe('3h ago');
    expect(relativeTime('2026-01-08T12:00:00.000Z', now)).toBe('2d ago');
    expect(relativeTime('2026-01-10T12:10:00.000Z', now)).toBe('in 10m');
    expect(relativeTime(undefined, now)).toBe('—');
    expect(relativeTime('not a time', now)).toBe('—');
  });

  it('formats durations by their size', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(3100)).toBe('3.1s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(undefined)).toBe('—');
    expect(durationBetween('2026-01-10T12:00:00.000Z', '2026-01-10T12:00:03.100Z')).toBe(3100);
    expect(durationBetween('2026-01-10T12:00:00.000Z', undefined)).toBeUndefined();
  });

  it('shortens full shas only', () => {
    expect(shortSha('3f2a9c1d0e4b7aa012b3c4d5e6f708192a3b4c5d')).toBe('3f2a9c1');
    expect(shortSha('v1.4.2')).toBe('v1.4.2');
    expect(shortSha(undefined)).toBe('—');
  });

  it('counts and summarizes a change set', () => {
    const counts = countChanges([
      { action: 'created' },
      { action: 'configured' },
      { action: 'configured' },
      { action: 'unchanged' },
    ]);
    expect(counts).toEqual({ created: 1, configured: 2, deleted: 0, unchanged: 1 });
    expect(changeSummary(counts)).toBe('1 created, 2 configured');
    expect(changeSummary(countChanges([{ action: 'unchanged' }]))).toBe('no changes');
  });

  it('names token users by their user, other actors as they are', () => {
    expect(actorLabel('web:alice')).toBe('alice');
    expect(actorLabel('api:admin')).toBe('admin');
    expect(actorLabel('slack:U123')).toBe('slack:U123');
    expect(actorLabel('git:3f2a9c1d0e4b7aa012b3c4d5e6f708192a3b4c5d')).toBe('git 3f2a9c1');
  });

  it('gives every status an icon and a word, not only a colour', () => {
    for (const status of ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown', 'Weird']) {
      const p = healthPresentation(status);
      expect(p.label.length).toBeGreaterThan(0);
      expect(p.icon).toBeTruthy();
    }
    expect(healthPresentation('Degraded')).toEqual({ tone: 'bad', icon: 'cross', label: 'Degraded' });
    expect(syncPresentation('OutOfSync')).toEqual({ tone: 'warn', icon: 'diverge', label: 'Out of sync' });
    expect(resultPresentation('awaiting-approval').label).toBe('awaiting approval');
    // Tones differ where meaning differs, and icons differ too (readable in grey).
    expect(healthPresentation('Healthy').icon).not.toBe(healthPresentation('Degraded').icon);
  });
});
