import { describe, expect, it } from 'vitest';
import {
  closestMatches,
  didYouMean,
  editDistance,
  firstInvalidUtf8,
  formatDuration,
  formatFieldPath,
  isDnsLabel,
  parseDuration,
} from '../../src/util/index.js';

describe('durations', () => {
  it('parses units and sums', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2d')).toBe(172_800_000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', '30', 's', '5 m', '1x', '-5s', '1h30', 'ten seconds', '1e3s']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('formats back to the shortest spelling', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(0)).toBe('0s');
    expect(parseDuration(formatDuration(93_784_005))).toBe(93_784_005);
  });
});

describe('did you mean', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('aps', 'apps')).toBe(1);
    expect(editDistance('tagret', 'target')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close candidates, best first, and nothing when far', () => {
    expect(closestMatches('aps', ['apps', 'access', 'targets'])).toEqual(['apps']);
    expect(closestMatches('Proces', ['Process', 'File', 'Job'])).toEqual(['Process']);
    expect(closestMatches('zzz', ['apps', 'targets'])).toEqual([]);
    expect(didYouMean('aps', ['apps'])).toBe(' — did you mean "apps"?');
    expect(didYouMean('zzz', ['apps'])).toBe('');
  });
});

describe('small text helpers', () => {
  it('formats field paths', () => {
    expect(formatFieldPath(['apps', 1, 'sync', 'prune'])).toBe('apps[1].sync.prune');
    expect(formatFieldPath(['metadata', 'annotations', 'wheelhouse/wave'])).toBe(
      'metadata.annotations["wheelhouse/wave"]',
    );
    expect(formatFieldPath([])).toBe('');
  });

  it('checks DNS labels', () => {
    expect(isDnsLabel('web-api')).toBe(true);
    expect(isDnsLabel('a')).toBe(true);
    for (const bad of ['Web', '-web', 'web-', 'web_api', '', 'a'.repeat(64), 'a.b'])
      expect(isDnsLabel(bad)).toBe(false);
  });

  it('finds the first invalid UTF-8 byte', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo ✓ 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // truncated
    expect(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
  });
});
