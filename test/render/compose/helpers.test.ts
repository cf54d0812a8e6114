// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files write ${VAR} literally; these strings are compose text, not templates
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../src/render/compose/env-file.js';
import { interpolate, secretReference } from '../../../src/render/compose/interpolate.js';
import { shortPort } from '../../../src/render/compose/service-ports.js';
import { shellWords } from '../../../src/render/compose/shell-words.js';

const vars = new Map([
  ['HOST', 'db'],
  ['EMPTY', ''],
]);

describe('compose interpolation', () => {
  it('supports every form compose does', () => {
    const cases: [string, string][] = [
      ['plain', 'plain'],
      ['$HOST:5432', 'db:5432'],
      ['${HOST}-x', 'db-x'],
      ['${MISSING:-fallback}', 'fallback'],
      ['${EMPTY:-fallback}', 'fallback'],
      ['${EMPTY-fallback}', ''],
      ['${MISSING-${HOST}}', 'db'],
      ['${HOST:+set}', 'set'],
      ['${MISSING:+set}', ''],
      ['$$HOST costs $$5', '$HOST costs $5'],
      ['trailing $', 'trailing $'],
    ];
    for (const [input, expected] of cases) expect(interpolate(input, vars)).toEqual({ value: expected });
  });

  it('refuses unset variables, required ones and broken syntax with a reason', () => {
    expect(interpolate('$NOPE', vars)).toEqual({ error: expect.stringMatching(/^variable NOPE is not set/) });
    expect(interpolate('${EMPTY:?give a value}', vars)).toEqual({
      error: 'variable EMPTY is required: give a value',
    });
    expect(interpolate('${EMPTY?give a value}', vars)).toEqual({ value: '' });
    expect(interpolate('${HOST', vars)).toEqual({ error: expect.stringMatching(/never closed/) });
    expect(interpolate('${1X}', vars)).toEqual({
      error: expect.stringMatching(/does not start with a variable name/),
    });
    expect(interpolate('${HOST/x/y}', vars)).toEqual({
      error: expect.stringMatching(/not a supported form/),
    });
  });

  it('tells whole-value references apart', () => {
    expect(secretReference('${TOKEN}')).toBe('TOKEN');
    expect(secretReference('$TOKEN')).toBe('TOKEN');
    expect(secretReference('x${TOKEN}')).toBeUndefined();
    expect(secretReference('${TOKEN:-x}')).toBeUndefined();
  });
});

describe('shell words', () => {
  it('splits like a shell quotes, without expanding anything', () => {
    expect(shellWords(`sh -c "echo 'hi there' \\"\\$HOME\\""`)).toEqual([
      'sh',
      '-c',
      `echo 'hi there' "$HOME"`,
    ]);
    expect(shellWords(`a\\ b 'c d'e "" ''`)).toEqual(['a b', 'c de', '', '']);
    expect(shellWords('  spaced   out  ')).toEqual(['spaced', 'out']);
    expect(shellWords('echo $(rm -rf /) ; ls')).toEqual(['echo', '$(rm', '-rf', '/)', ';', 'ls']);
    expect(shellWords(`echo "open`)).toEqual({ error: 'has a double quote that is never closed' });
    expect(shellWords(`echo 'open`)).toEqual({ error: 'has a single quote that is never closed' });
  });
});

describe('env files', () => {
  it('reads KEY=VALUE lines with quotes, comments and export', () => {
    const parsed = parseEnvFile(
      '# comment\n\nexport A=1\nB = spaced \nC="a\\tb # kept"\nD=\'$literal\'\nE=x #comment\nF\nG=\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries).toEqual([
      { key: 'A', value: '1', line: 3 },
      { key: 'B', value: 'spaced', line: 4 },
      { key: 'C', value: 'a\tb # kept', line: 5 },
      { key: 'D', value: '$literal', line: 6 },
      { key: 'E', value: 'x', line: 7 },
      { key: 'F', line: 8 },
      { key: 'G', value: '', line: 9 },
    ]);
  });
});

describe('short port syntax', () => {
  it('covers ranges, addresses and protocols', () => {
    expect(shortPort('80')).toEqual([{ containerPort: 80, protocol: 'tcp' }]);
    expect(shortPort('0.0.0.0:80:8080/udp')).toEqual([
      { containerPort: 8080, hostPort: 80, hostIp: '0.0.0.0', protocol: 'udp' },
    ]);
    expect(shortPort('1-2:3-4')).toEqual([
      { containerPort: 3, hostPort: 1, protocol: 'tcp' },
      { containerPort: 4, hostPort: 2, protocol: 'tcp' },
    ]);
    expect(shortPort('1-3:3-4')).toMatch(/same length/);
    expect(shortPort('1-500')).toMatch(/at most 100/);
    expect(shortPort('80/sctp')).toMatch(/protocol must be tcp or udp/);
    expect(shortPort('70000')).toMatch(/is not a port mapping/);
  });
});
