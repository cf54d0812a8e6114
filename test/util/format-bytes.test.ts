import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/util/index.js';

const MiB = 1024 * 1024;

describe('formatBytes', () => {
  it('prints exact sizes without decimals and small ones in bytes', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(64 * 1024)).toBe('64 KiB');
    expect(formatBytes(MiB)).toBe('1 MiB');
    expect(formatBytes(2 * 1024 * MiB)).toBe('2 GiB');
  });

  it('calls 1.9 MiB "1.9 MiB" (issue 12 item 18 printed "1.0 MiB")', () => {
    expect(formatBytes(Math.round(1.9 * MiB))).toBe('1.9 MiB');
    expect(formatBytes(Math.round(1.5 * 1024))).toBe('1.5 KiB');
  });

  it('never makes a size just over a limit read like the limit itself', () => {
    expect(formatBytes(MiB + 1)).toBe('1,048,577 bytes');
    expect(formatBytes(MiB + 20 * 1024)).toBe('1.02 MiB');
    expect(formatBytes(MiB - 1)).toBe('1023.999 KiB');
  });
});
