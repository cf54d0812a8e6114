import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/util/index.js';

// Issue 12 item 14: control characters from the repo, locks and chat reached the terminal raw.
describe('escapeControl', () => {
  it('shows window-title, screen-clear and clipboard (OSC 52) sequences instead of passing them on', () => {
    expect(escapeControl('\u001b]0;pwned\u0007release freeze')).toBe('\\x1b]0;pwned\\x07release freeze');
    expect(escapeControl('before\u001b[2J\u001b[Hafter')).toBe('before\\x1b[2J\\x1b[Hafter');
    expect(escapeControl('\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u001b\\')).toBe(
      '\\x1b]52;c;Y3VybCBldmlsIHwgc2g=\\x1b\\',
    );
  });

  it('keeps newlines and tabs (layout) and shows carriage returns, NUL, DEL, C1 and bidi overrides', () => {
    expect(escapeControl('a\tb\nc')).toBe('a\tb\nc');
    expect(escapeControl('ok\rFAILED\u0000\u007f')).toBe('ok\\x0dFAILED\\x00\\x7f');
    expect(escapeControl('\u009b2J')).toBe('\\x9b2J');
    expect(escapeControl('user\u202egnp.exe')).toBe('user\\u202egnp.exe');
    expect(escapeControl('plain text, ünïcödé ✓')).toBe('plain text, ünïcödé ✓');
  });

  it('lets only the listed colour sequences through when asked', () => {
    const colours = new Set(['31', '39']);
    expect(escapeControl('\u001b[31mred\u001b[39m', { colours })).toBe('\u001b[31mred\u001b[39m');
    expect(escapeControl('\u001b[8mhidden\u001b[2J', { colours })).toBe('\\x1b[8mhidden\\x1b[2J');
    expect(escapeControl('\u001b[31mred\u001b[39m')).toBe('\\x1b[31mred\\x1b[39m');
  });
});
