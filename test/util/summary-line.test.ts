import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../src/util/index.js';

describe('summaryLine', () => {
  it('keeps a one-line message as it is', () => {
    expect(summaryLine('all 2 resources are Healthy')).toBe('all 2 resources are Healthy');
  });

  it('shows the first line of a long message and marks the rest', () => {
    expect(summaryLine('\ncrash loop: exited with code 1\n  | Error: boom\n')).toBe(
      'crash loop: exited with code 1 …',
    );
  });

  it('cuts a long line', () => {
    const cut = summaryLine('x'.repeat(300), 20);
    expect(cut).toHaveLength(20);
    expect(cut.endsWith('…')).toBe(true);
  });
});
