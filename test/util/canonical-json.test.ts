import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/util/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same data whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('drops what JSON drops and honours toJSON', () => {
    expect(canonicalJson({ a: undefined, b: () => 1, d: new Date(Date.UTC(2024, 0, 2)) })).toBe(
      '{"d":"2024-01-02T00:00:00.000Z"}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('é\n"')).toBe('"é\\n\\""');
  });
});
