import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput } from '../../src/cli/client/output.js';
import { createLogger } from '../../src/cli/logger.js';

function capture(isTTY: boolean, env: Record<string, string | undefined>) {
  const stdout = Object.assign(new PassThrough(), { isTTY });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return { output: createOutput(stdout, stderr, env), text: () => ({ out, err }) };
}

// Issue 12 item 14: text from the server reached the terminal raw through every CLI printer.
describe('CLI output', () => {
  it('escapes control characters in every line, keeping its own colours on a terminal', () => {
    const { output, text } = capture(true, { FORCE_COLOR: '1' });
    output.line(`${output.color.yellow('held')}: \u001b]0;owned\u0007 freeze\u001b[2J`);
    output.error('\u001b]52;c;ZXZpbA==\u0007');
    expect(text().out).toBe('\u001b[33mheld\u001b[39m: \\x1b]0;owned\\x07 freeze\\x1b[2J\n');
    expect(text().err).toBe('\\x1b]52;c;ZXZpbA==\\x07\n');
  });

  it('passes no escape sequence at all without colour', () => {
    const { output, text } = capture(false, {});
    output.line('\u001b[31mforged red\u001b[39m');
    expect(text().out).toBe('\\x1b[31mforged red\\x1b[39m\n');
  });
});

describe('the pretty log of wheelhouse up', () => {
  it('shows control characters in messages (issue 12 item 14)', () => {
    const destination = new PassThrough();
    let written = '';
    destination.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const log = createLogger({ format: 'pretty', destination });
    log.warn('cannot fetch \u001b]0;owned\u0007 repo');
    expect(written).toContain('cannot fetch \\x1b]0;owned\\x07 repo');
    expect(written).not.toContain('\u0007');
  });
});
