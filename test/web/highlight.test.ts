import { describe, expect, it } from 'vitest';
import { highlight, highlightLine, valueTokens } from '../../src/web/lib/highlight.js';

const types = (line: ReturnType<typeof highlightLine>) =>
  line.tokens.filter((t) => t.text.trim() !== '').map((t) => `${t.type}:${t.text.trim()}`);

describe('the YAML / diff highlighter', () => {
  it('splits a YAML mapping line into key, punctuation and a typed value', () => {
    expect(types(highlightLine('  replicas: 3', { diff: false }))).toEqual([
      'key:replicas',
      'punct::',
      'number:3',
    ]);
    expect(types(highlightLine('name: "web"', { diff: false }))).toEqual([
      'key:name',
      'punct::',
      'string:"web"',
    ]);
    expect(types(highlightLine('auto: true', { diff: false }))).toEqual(['key:auto', 'punct::', 'bool:true']);
    expect(types(highlightLine('x: null # none', { diff: false }))).toEqual([
      'key:x',
      'punct::',
      'null:null',
      'comment:# none',
    ]);
  });

  it('reads a list item as YAML when not highlighting a diff, and as a removal in a diff', () => {
    expect(highlightLine('- node', { diff: false }).kind).toBe('plain');
    expect(types(highlightLine('- node', { diff: false }))[0]).toBe('punct:-');
    const removed = highlightLine('- node', { diff: true });
    expect(removed.kind).toBe('del');
    expect(removed.tokens[0]).toEqual({ type: 'sign', text: '- ' });
  });

  it('marks the lines of a Wheelhouse diff by their sign, headers and arrows included', () => {
    const lines = highlight(
      [
        '~ Process web (configured)',
        '    ~ spec.env.GREETING: "hello" → "hi"',
        '    + spec.env.NEW: "1"',
        '    - spec.env.OLD: "x"',
        '    ! drift: process not running',
        '',
        'Summary: 0 created, 1 configured, 0 deleted, 1 unchanged.',
      ].join('\n'),
    );
    expect(lines.map((l) => l.kind)).toEqual(['change', 'change', 'add', 'del', 'drift', 'plain', 'plain']);
    expect(types(lines[0] ?? { kind: 'plain', tokens: [] })).toEqual([
      'sign:~',
      'heading:Process web (configured)',
    ]);
    expect(types(lines[1] ?? { kind: 'plain', tokens: [] })).toEqual([
      'sign:~',
      'key:spec.env.GREETING',
      'punct::',
      'string:"hello"',
      'arrow:→',
      'string:"hi"',
    ]);
  });

  it('shows redacted secrets as such and leaves digits inside words alone', () => {
    expect(valueTokens('token ***').map((t) => t.type)).toEqual(['text', 'secret']);
    expect(valueTokens('fd99512 and v1.2.3 and 3f2a9c1').every((t) => t.type === 'text')).toBe(true);
    expect(valueTokens('port 8080').map((t) => t.type)).toEqual(['text', 'number']);
    // An apostrophe in prose is not a quoted string.
    expect(valueTokens("the app's name").every((t) => t.type === 'text')).toBe(true);
  });

  it('keeps every character: the tokens of a line join back to the line', () => {
    const text = '  command: ["node", "server.js", 3, true] # run it';
    for (const diff of [true, false]) {
      expect(
        highlightLine(text, { diff })
          .tokens.map((t) => t.text)
          .join(''),
      ).toBe(text);
    }
  });
});
