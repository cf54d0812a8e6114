import { describe, expect, it } from 'vitest';
import { virtualWindow } from '../../src/web/lib/virtual-window.js';

/** The slice of a long table the apps page renders, and the spacer heights around it. */
describe('virtualWindow', () => {
  const base = { count: 10_000, pitch: 50, viewport: 1_000, overscan: 10 };

  it('renders the first screenful plus overscan while the table starts in view', () => {
    expect(virtualWindow({ ...base, above: -200 })).toEqual({
      start: 0,
      end: 26, // 800 px of table in view = 16 rows, plus 10
      before: 0,
      after: (10_000 - 26) * 50,
    });
  });

  it('renders the rows in view and overscan on both sides in the middle', () => {
    const w = virtualWindow({ ...base, above: 100_000 }); // row 2,000 at the top
    expect(w).toEqual({ start: 1_990, end: 2_030, before: 1_990 * 50, after: (10_000 - 2_030) * 50 });
    // Spacers and rendered rows add up to the whole table.
    expect(w.before + (w.end - w.start) * 50 + w.after).toBe(10_000 * 50);
  });

  it('renders the last row at the end, with no spacer after it', () => {
    const w = virtualWindow({ ...base, above: 10_000 * 50 - 1_000 });
    expect(w.end).toBe(10_000);
    expect(w.after).toBe(0);
    expect(w.end - w.start).toBe(30);
  });

  it('keeps a few rows at the nearer end when the table is out of view', () => {
    expect(virtualWindow({ ...base, above: -5_000 })).toMatchObject({ start: 0, end: 10 });
    expect(virtualWindow({ ...base, above: 10_000 * 50 + 5_000 })).toMatchObject({
      start: 9_990,
      end: 10_000,
    });
  });

  it('clamps to short and empty lists', () => {
    expect(virtualWindow({ ...base, count: 3, above: 0 })).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(virtualWindow({ ...base, count: 0, above: 0 })).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });

  it('survives a pitch not measured yet', () => {
    expect(virtualWindow({ ...base, pitch: 0, above: 0 }).end).toBeLessThanOrEqual(10_000);
  });
});
