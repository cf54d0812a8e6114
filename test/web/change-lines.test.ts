import { describe, expect, it } from 'vitest';
import { changeLines } from '../../src/web/lib/change-lines.js';
import { diffTextLines, withContext } from '../../src/web/lib/line-diff.js';
import { pathSegments } from '../../src/web/lib/path.js';
import { yamlEntry, yamlScalar, yamlValue } from '../../src/web/lib/yaml.js';

const render = (lines: ReturnType<typeof changeLines>) => lines.map((l) => `${l.sign} ${l.text}`);

describe('YAML emitter', () => {
  it('quotes strings only where YAML would read them as something else', () => {
    expect(yamlScalar('web')).toBe('web');
    expect(yamlScalar('services/web/server.js')).toBe('services/web/server.js');
    expect(yamlScalar('8080')).toBe('"8080"');
    expect(yamlScalar('true')).toBe('"true"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlScalar('')).toBe('""');
    expect(yamlScalar(3)).toBe('3');
    expect(yamlScalar(null)).toBe('null');
    expect(yamlScalar('***')).toBe('***');
  });

  it('nests maps and lists, and writes multi-line strings as block scalars', () => {
    expect(yamlValue({ command: ['node', 'server.js'], env: { PORT: '8080' }, replicas: 2 })).toEqual([
      'command:',
      '  - node',
      '  - server.js',
      'env:',
      '  PORT: "8080"',
      'replicas: 2',
    ]);
    expect(yamlValue([{ port: 80, host: '127.0.0.1' }])).toEqual(['- port: 80', '  host: 127.0.0.1']);
    expect(yamlEntry('content', 'a\nb\n', 2)).toEqual(['  content: |', '    a', '    b']);
    expect(yamlEntry('empty', {})).toEqual(['empty: {}']);
  });
});

describe('field paths', () => {
  it('splits dotted paths, indexes and quoted keys', () => {
    expect(pathSegments('spec.env.PORT')).toEqual(['spec', 'env', 'PORT']);
    expect(pathSegments('spec.command[1]')).toEqual(['spec', 'command', 1]);
    expect(pathSegments('spec.labels["app.kubernetes.io/name"]')).toEqual([
      'spec',
      'labels',
      'app.kubernetes.io/name',
    ]);
  });
});

describe('desired-vs-live lines', () => {
  it('nests changed fields under their shared parents, live as - and desired as +', () => {
    const lines = changeLines({
      kind: 'Process',
      name: 'web',
      action: 'configured',
      fields: [
        { path: 'spec.env.GREETING', live: 'hello', desired: 'hi' },
        { path: 'spec.env.NEW', desired: '1' },
        { path: 'spec.replicas', live: 1, desired: 2 },
      ],
    });
    expect(render(lines)).toEqual([
      '  spec:',
      '    env:',
      '-     GREETING: hello',
      '+     GREETING: hi',
      '+     NEW: "1"',
      '-   replicas: 1',
      '+   replicas: 2',
    ]);
  });

  it('shows a created resource as all additions and a drift note', () => {
    const lines = changeLines({
      kind: 'Process',
      name: 'web',
      action: 'configured',
      fields: [{ path: 'spec', desired: { command: ['node', 'a.js'] } }],
      drift: 'process not running',
    });
    expect(render(lines)).toEqual([
      '+ spec:',
      '+   command:',
      '+     - node',
      '+     - a.js',
      '! drift: process not running',
    ]);
  });

  it('diffs multi-line strings line by line with context', () => {
    const live = ['[server]', 'port = 8080', 'a', 'b', 'c', 'd', 'e', 'f'].join('\n');
    const desired = ['[server]', 'port = 9090', 'a', 'b', 'c', 'd', 'e', 'f'].join('\n');
    const lines = changeLines(
      { kind: 'File', name: 'conf', action: 'configured', fields: [{ path: 'spec.content', live, desired }] },
      1,
    );
    expect(render(lines)).toEqual([
      '  spec:',
      '    content: |',
      '      [server]',
      '-     port = 8080',
      '+     port = 9090',
      '      a',
      '      …',
    ]);
  });
});

describe('line diff', () => {
  it('finds the longest common subsequence', () => {
    const ops = diffTextLines(['a', 'b', 'c'], ['a', 'x', 'c', 'd']);
    expect(ops.map((o) => `${o.op}${o.text}`)).toEqual([' a', '-b', '+x', ' c', '+d']);
  });

  it('keeps context around changes and marks what it left out', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7'];
    const after = ['1', '2', '3', 'X', '5', '6', '7'];
    const shown = withContext(diffTextLines(before, after), 1).map((o) =>
      o === null ? '…' : `${o.op}${o.text}`,
    );
    expect(shown).toEqual(['…', ' 3', '-4', '+X', ' 5', '…']);
  });

  it('diffs files past 2,000 lines line by line instead of replacing them whole', () => {
    const before = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[2500] = 'changed';
    after.splice(4000, 0, 'inserted');
    after.pop();
    const ops = diffTextLines(before, after);
    expect(ops.filter((o) => o.op !== ' ').map((o) => `${o.op}${o.text}`)).toEqual([
      '-line 2500',
      '+changed',
      '+inserted',
      '-line 4999',
    ]);
    expect(ops.filter((o) => o.op === ' ')).toHaveLength(4998);
    const shown = withContext(ops, 1).map((o) => (o === null ? '…' : `${o.op}${o.text}`));
    expect(shown).toEqual([
      '…',
      ' line 2499',
      '-line 2500',
      '+changed',
      ' line 2501',
      '…',
      ' line 3999',
      '+inserted',
      ' line 4000',
      '…',
      ' line 4998',
      '-line 4999',
    ]);
  });
});
