import { describe, expect, it } from 'vitest';
import { isWheelhouseError } from '../../src/core/index.js';
import { diffFields, diffResources, normalize, specEqual, syncStatusOf } from '../../src/diff/index.js';
import { desired, live } from '../support/resources.js';

describe('normalization', () => {
  it('treats undefined, null and empty maps inside maps as absent, and ignores key order', () => {
    expect(specEqual({ a: 1, b: undefined, c: null, d: {}, e: { f: {} } }, { a: 1 })).toBe(true);
    expect(specEqual({ x: { b: 2, a: 1 } }, { x: { a: 1, b: 2 } })).toBe(true);
    expect(normalize({ b: 1, a: { d: 2, c: undefined } })).toEqual({ a: { d: 2 }, b: 1 });
    expect(Object.keys(normalize({ b: 1, a: 2 }) as object)).toEqual(['a', 'b']);
  });

  it('keeps types apart: numbers and numeric strings, lists and absent lists, false and absent', () => {
    expect(specEqual({ port: 8080 }, { port: '8080' })).toBe(false);
    expect(specEqual({ args: [] }, {})).toBe(false);
    expect(specEqual({ enabled: false }, {})).toBe(false);
    expect(specEqual({ list: [1, 2] }, { list: [2, 1] })).toBe(false);
  });

  it('keeps list positions: a null or undefined element is a value', () => {
    expect(normalize([1, undefined, null, {}])).toEqual([1, null, null, {}]);
  });

  it('reports an added map field by field and a whole added list as one change', () => {
    expect(diffFields({}, { env: { A: '1', B: '2' }, command: ['x', 'y'] }, 'spec')).toEqual([
      { path: 'spec.command', desired: ['x', 'y'] },
      { path: 'spec.env.A', desired: '1' },
      { path: 'spec.env.B', desired: '2' },
    ]);
  });

  it('treats an undefined desired field like an absent one', () => {
    const a = desired('Process', 'web', { command: ['node'], cwd: undefined });
    expect(diffResources([a], [live(desired('Process', 'web', { command: ['node'] }))])[0]?.action).toBe(
      'unchanged',
    );
  });
});

describe('diffResources', () => {
  it('compares hooks by digest: unchanged for the digest being synced, configured otherwise', () => {
    const job = desired('Job', 'migrate', { command: ['migrate'] }, { hook: 'PreSync' });
    const ran = live(job, { appliedDigest: 'd1' });
    expect(diffResources([job], [ran], { digest: 'd1' })[0]?.action).toBe('unchanged');
    expect(diffResources([job], [ran], { digest: 'd2' })[0]).toMatchObject({
      action: 'configured',
      fields: [{ path: 'hook.digest', live: 'd1', desired: 'd2' }],
    });
    // Without a digest a hook is compared like any resource.
    expect(diffResources([job], [ran])[0]?.action).toBe('unchanged');
  });

  it('refuses a resource declared twice, naming both files', () => {
    const a = { ...desired('Process', 'web'), origin: { file: 'apps/web/a.yaml', line: 1, column: 1 } };
    const b = { ...desired('Process', 'web'), origin: { file: 'apps/web/b.yaml', line: 4, column: 1 } };
    let caught: unknown;
    try {
      diffResources([a, b], []);
    } catch (err) {
      caught = err;
    }
    expect(isWheelhouseError(caught, 'MANIFEST_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('apps/web/a.yaml:1');
    expect((caught as Error).message).toContain('apps/web/b.yaml:4');
  });

  it('does not change its inputs', () => {
    const a = desired('Process', 'web', { env: { B: '2', A: '1' } });
    const l = live(a, { spec: { env: { A: '0' } } });
    const before = JSON.stringify([a, l]);
    diffResources([a], [l]);
    expect(JSON.stringify([a, l])).toBe(before);
  });

  it('gives Synced for an empty change set and OutOfSync as soon as one resource differs', () => {
    expect(syncStatusOf([])).toBe('Synced');
    const a = desired('File', 'conf', { content: 'x' });
    expect(syncStatusOf(diffResources([a], [live(a)]))).toBe('Synced');
    expect(syncStatusOf(diffResources([a], []))).toBe('OutOfSync');
  });
});
