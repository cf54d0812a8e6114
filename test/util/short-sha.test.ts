import { describe, expect, it } from 'vitest';
import { SHORT_SHA_LENGTH, shortSha } from '../../src/util/index.js';

describe('shortSha', () => {
  const sha = '3f2a9c1d4e5b6a7988776655443322110ffeeddc';

  it('shows a full commit id (sha-1 or sha-256) by its first 7 hex digits', () => {
    expect(SHORT_SHA_LENGTH).toBe(7);
    expect(shortSha(sha)).toBe('3f2a9c1');
    expect(shortSha(`${sha}0123456789abcdef01234567`)).toBe('3f2a9c1');
  });

  it('leaves other revisions as they are and stands a placeholder in for none', () => {
    expect(shortSha('v1.2.0')).toBe('v1.2.0');
    expect(shortSha('main')).toBe('main');
    expect(shortSha(undefined)).toBe('-');
    expect(shortSha(undefined, '—')).toBe('—');
  });
});
