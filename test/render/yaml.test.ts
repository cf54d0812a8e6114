import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/render/yaml/index.js';

const parse = (text: string | Uint8Array, multiDocument = false, limits = {}) =>
  parseYaml({ text, file: 'apps/web/app.yaml', multiDocument, limits });

describe('parseYaml: plain documents', () => {
  it('returns values and maps field paths to line:column', () => {
    const { documents, issues } = parse(
      'apps:\n  - name: web\n    sync:\n      prune: false\n  - name: api\n',
    );
    expect(issues).toEqual([]);
    const doc = documents[0];
    expect(doc?.value).toEqual({ apps: [{ name: 'web', sync: { prune: false } }, { name: 'api' }] });
    expect(doc?.locate(['apps', 0, 'sync', 'prune'])).toEqual({ line: 4, column: 14 });
    expect(doc?.locate(['apps', 0, 'sync', 'prune'], 'key')).toEqual({ line: 4, column: 7 });
    // A missing field points at the deepest part that exists: the item it belongs in.
    expect(doc?.locate(['apps', 1, 'path'])).toEqual({ line: 5, column: 5 });
    expect(doc?.locate(['apps', 0, 'sync', 'auto'])).toEqual({ line: 4, column: 7 });
  });

  it('points at the key when a value is empty', () => {
    const doc = parse('a:\n  b:\n').documents[0];
    expect(doc?.locate(['a', 'b'])).toEqual({ line: 2, column: 3 });
    expect(doc?.locate(['a', 'b', 'c'])).toEqual({ line: 2, column: 3 });
  });

  it('applies merge keys and locates merged fields at their definition', () => {
    const doc = parse('base: &base {port: 80, host: a}\nweb:\n  <<: *base\n  host: b\n').documents[0];
    expect(doc?.value).toEqual({ base: { port: 80, host: 'a' }, web: { port: 80, host: 'b' } });
    expect(doc?.locate(['web', 'port'])).toEqual({ line: 1, column: 20 });
    expect(doc?.locate(['web', 'host'])).toEqual({ line: 4, column: 9 });
  });

  it('keeps multi-document files apart and marks empty documents', () => {
    const { documents, issues } = parse('a: 1\n---\n# only a comment\n---\nb: 2\n', true);
    expect(issues).toEqual([]);
    expect(documents.map((d) => d.empty)).toEqual([false, true, false]);
    expect(documents[2]?.value).toEqual({ b: 2 });
    expect(documents[2]?.position).toEqual({ line: 5, column: 1 });
  });

  it('refuses several documents where one is expected, at the second one', () => {
    const { documents, issues } = parse('a: 1\n---\nb: 2\n');
    expect(documents).toEqual([]);
    expect(issues).toMatchObject([
      { line: 2, column: 1, message: expect.stringContaining('2 YAML documents') },
    ]);
  });

  it('returns no documents for an empty file', () => {
    expect(parse('')).toEqual({ documents: [], issues: [] });
  });
});

describe('parseYaml: syntax errors', () => {
  it('reports a syntax error with its position and keeps what it recovered', () => {
    const { documents, issues } = parse('apps:\n  - name: web\n    path: apps/web: x\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'apps/web/app.yaml', line: 3, column: 11 });
    expect(issues[0]?.message).toMatch(/^YAML syntax error: .*compact mappings/);
    expect(documents[0]?.hasErrors).toBe(true);
  });

  it('reports tabs, duplicate keys and unknown tags with what to do', () => {
    expect(parse('a:\n\t- b\n').issues[0]?.message).toContain('indent with spaces');
    const dup = parse('a: 1\nb: 2\na: 3\n');
    expect(dup.issues).toHaveLength(1);
    expect(dup.issues[0]).toMatchObject({ line: 3, column: 1, message: expect.stringContaining('unique') });
    expect(parse('a: !custom 1\n').issues[0]?.message).toContain('Unresolved tag');
  });

  it('refuses __proto__ keys and keys that are collections', () => {
    expect(parse('__proto__: {polluted: true}\n').issues[0]?.message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parse('? [a, b]\n: 1\n').issues[0]?.message).toContain('only plain keys');
  });

  it('caps the number of syntax errors reported for one file', () => {
    const text = Array.from({ length: 40 }, (_, i) => `k${i}: [unclosed\n`).join('');
    const { issues } = parse(text, false, { maxSyntaxIssues: 5 });
    expect(issues.length).toBeLessThanOrEqual(6);
    expect(issues.at(-1)?.message).toMatch(/more YAML syntax errors not shown/);
  });
});

describe('parseYaml: hostile input', () => {
  it('refuses a file over the size cap without parsing it', () => {
    const { documents, issues } = parse(`a: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    expect(documents).toEqual([]);
    expect(issues).toMatchObject([
      { line: 1, column: 1, message: expect.stringContaining('over the 1 MiB limit') },
    ]);
    expect(parse('a: 12345\n', false, { maxBytes: 4 }).issues[0]?.message).toContain(
      'over the 4 bytes limit',
    );
  });

  it('refuses non-UTF-8 bytes and says where the first one is', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const { documents, issues } = parse(bytes);
    expect(documents).toEqual([]);
    expect(issues).toMatchObject([
      { line: 2, column: 10, message: expect.stringContaining('byte 0xe9 at offset 14') },
    ]);
    expect(parse(Buffer.from('\xff\xfea\x00', 'latin1')).issues[0]?.message).toContain('UTF-16');
    // Valid multi-byte text and a BOM are fine.
    expect(parse(Buffer.from('\ufeffname: café ✓\n')).documents[0]?.value).toEqual({ name: 'café ✓' });
  });

  it('refuses an alias bomb ("billion laughs") without expanding it', () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const { documents, issues } = parse(lines.join('\n'));
    expect(documents[0]?.value).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/aliases here expand to more than 100,000 values/);
    expect(issues[0]?.line).toBeGreaterThan(1);
  });

  it('refuses aliases that expand to too many bytes under the alias count limit (issue 12 item 8: 400 aliases of a 900 KB string took 2.5 GB)', () => {
    const big = 'x'.repeat(900 * 1024);
    const text = `big: &big ${big}\ncopies:\n${'  - *big\n'.repeat(400)}`;
    const { documents, issues } = parse(text);
    expect(issues).toEqual([
      {
        file: 'apps/web/app.yaml',
        line: 3,
        column: 3,
        path: '',
        message: expect.stringMatching(
          /^aliases here expand to more than 4 MiB of text \(\d+ aliases so far\) — anchor and repeat only small values/,
        ),
      },
    ]);
    expect(documents[0]?.value).toBeUndefined();
    // A few copies of a small anchor are fine.
    expect(parse(`a: &a ${'y'.repeat(1000)}\nb: [*a, *a, *a]\n`).issues).toEqual([]);
    expect(parse(text, false, { maxExpandedBytes: 1024 * 1024 * 1024 }).issues).toEqual([]);
  });

  it('refuses too many aliases in one document', () => {
    const text = `a: &a 1\nb: [${Array(50).fill('*a').join(', ')}]\n`;
    expect(parse(text, false, { maxAliasCount: 10 }).issues[0]?.message).toContain('more than 10 aliases');
    expect(parse(text).issues).toEqual([]);
  });

  it('refuses an alias that refers to itself or to no anchor', () => {
    expect(parse('a: &x [*x]\n').issues[0]?.message).toContain('no anchor &x before it');
    expect(parse('a: *nowhere\n').issues[0]?.message).toContain('no anchor &nowhere');
  });

  it('refuses 1,000 levels of nesting, in flow and block style', () => {
    const flow = parse(`${'['.repeat(1000)}${']'.repeat(1000)}`);
    expect(flow.documents).toEqual([]);
    expect(flow.issues).toMatchObject([
      { line: 1, column: 65, message: expect.stringContaining('deeper than 64') },
    ]);
    const block = parse(`${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`);
    expect(block.issues).toMatchObject([{ line: 65, message: expect.stringContaining('deeper than 64') }]);
    const compact = parse(`${'- '.repeat(1000)}x\n`);
    expect(compact.issues[0]?.message).toContain('deeper than 64');
    // 64 levels are fine.
    expect(parse(`${'['.repeat(64)}${']'.repeat(64)}`).issues).toEqual([]);
  });

  it('refuses nesting that only gets deep through aliases', () => {
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i <= 70; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    expect(parse(lines.join('\n')).issues[0]?.message).toContain(
      'deeper than 64 levels once aliases are expanded',
    );
  });

  it('survives a very deep unclosed bracket bomb inside the size cap', () => {
    const { issues } = parse('['.repeat(500_000));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('deeper than 64');
  });
});

describe('parseYaml: limits found before parsing', () => {
  it('refuses too many values or aliases in one document, and counts per document', () => {
    const many = `[${Array(120_000).fill('1').join(',')}]`;
    expect(parse(many).issues[0]?.message).toContain('more than 100,000 values');
    const small = { maxNodes: 10 };
    const two = `${Array.from({ length: 8 }, (_, i) => `k${i}: 1`).join('\n')}\n---\n${Array.from({ length: 8 }, (_, i) => `k${i}: 1`).join('\n')}\n`;
    // 16 scalars per document (keys and values) is over 10; a lower count per document is not.
    expect(parse(two, true, small).issues[0]?.message).toContain('more than 10 values');
    expect(parse('a: 1\n---\nb: 2\n', true, small).issues).toEqual([]);
  });
});
