import { describe, expect, it } from 'vitest';
import { bodyParts, virtualWindow } from '../../src/web/lib/virtual-window.js';

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

/** Spacers and rows of the table body, with the focused row kept when it is out of the window. */
describe('bodyParts', () => {
  const rows = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({ kind: 'row', index: from + i, pinned: false }));
  const options = { count: 100, pitch: 10, pinned: -1 };

  it('is the window between two spacers', () => {
    expect(bodyParts({ start: 40, end: 43 }, options)).toEqual([
      { kind: 'spacer', key: 'before', height: 400 },
      ...rows(40, 43),
      { kind: 'spacer', key: 'after', height: 570 },
    ]);
    expect(bodyParts({ start: 0, end: 100 }, options)).toEqual(rows(0, 100));
  });

  it('keeps a focused row above the window in its place', () => {
    expect(bodyParts({ start: 40, end: 42 }, { ...options, pinned: 5 })).toEqual([
      { kind: 'spacer', key: 'before', height: 50 },
      { kind: 'row', index: 5, pinned: true },
      { kind: 'spacer', key: 'gap', height: 340 },
      ...rows(40, 42),
      { kind: 'spacer', key: 'after', height: 580 },
    ]);
  });

  it('keeps a focused row below the window in its place, the last one too', () => {
    expect(bodyParts({ start: 0, end: 2 }, { ...options, pinned: 99 })).toEqual([
      ...rows(0, 2),
      { kind: 'spacer', key: 'gap', height: 970 },
      { kind: 'row', index: 99, pinned: true },
    ]);
  });

  it('adds nothing for a focused row inside the window, or one no longer listed', () => {
    expect(bodyParts({ start: 0, end: 2 }, { ...options, count: 2, pinned: 1 })).toEqual(rows(0, 2));
    expect(bodyParts({ start: 0, end: 2 }, { ...options, count: 2, pinned: 7 })).toEqual(rows(0, 2));
  });

  it('adds up to the height of the whole table', () => {
    const parts = bodyParts({ start: 40, end: 60 }, { ...options, pinned: 90 });
    const height = parts.reduce((sum, part) => sum + (part.kind === 'spacer' ? part.height : 10), 0);
    expect(height).toBe(100 * 10);
  });
});
