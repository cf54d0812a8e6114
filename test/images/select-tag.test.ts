import { describe, expect, it } from 'vitest';
import { formatImageRef, isNewer, newestTag, parseImageRef } from '../../src/images/index.js';

const tags = [
  '1.0.0',
  '1.2.0',
  '1.10.1',
  '2.0.0',
  '1.11.0-rc.1',
  'latest',
  'main-9',
  'main-10',
  'main-x',
  'v1.3.0',
];

describe('image policies: picking the newest tag', () => {
  it('semver: the highest version inside the range; tags outside it and non-versions are ignored', () => {
    const rule = { kind: 'semver', range: '^1.2.0' } as const;
    expect(newestTag(rule, tags)).toBe('1.10.1');
    expect(newestTag({ kind: 'semver', range: '>=3' }, tags)).toBeUndefined();
    expect(isNewer(rule, '1.2.0', '1.10.1')).toBe(true);
    expect(isNewer(rule, '1.10.1', '1.10.1')).toBe(false);
    expect(isNewer(rule, '2.0.0', '1.10.1')).toBe(false);
  });

  it('regex: ordered numerically by the capture group (10 after 9), or alphabetically', () => {
    expect(newestTag({ kind: 'regex', pattern: '^main-(\\d+)$', order: 'numerical' }, tags)).toBe('main-10');
    expect(newestTag({ kind: 'regex', pattern: '^main-(.+)$', order: 'alphabetical' }, tags)).toBe('main-x');
    expect(
      isNewer({ kind: 'regex', pattern: '^main-(\\d+)$', order: 'numerical' }, 'main-9', 'main-10'),
    ).toBe(true);
  });

  it('digest: the followed tag when the registry has it', () => {
    expect(newestTag({ kind: 'digest', tag: 'latest' }, tags)).toBe('latest');
    expect(newestTag({ kind: 'digest', tag: 'stable' }, tags)).toBeUndefined();
  });

  it('splits and joins references with registry ports, tags and digests', () => {
    const ref = parseImageRef('127.0.0.1:5000/shop/web:1.2.0@sha256:abc');
    expect(ref).toEqual({ repository: '127.0.0.1:5000/shop/web', tag: '1.2.0', digest: 'sha256:abc' });
    expect(parseImageRef('127.0.0.1:5000/shop/web')).toEqual({ repository: '127.0.0.1:5000/shop/web' });
    expect(formatImageRef({ ...ref, tag: '1.3.0' })).toBe('127.0.0.1:5000/shop/web:1.3.0@sha256:abc');
  });
});
