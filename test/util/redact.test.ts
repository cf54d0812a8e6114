import { describe, expect, it } from 'vitest';
import { createRedactor, isSensitiveKey, isSensitivePath, redactDeep } from '../../src/util/index.js';

describe('createRedactor', () => {
  it('replaces pattern matches and literal values, longest value first', () => {
    const redact = createRedactor({
      patterns: ['ghp_[A-Za-z0-9]{8,}', /Bearer \S+/i],
      values: ['abcd', 'abcdefgh'],
    });
    expect(redact('token ghp_ABCDEFGH1234 here')).toBe('token *** here');
    expect(redact('Authorization: bearer xyz.123')).toBe('Authorization: ***');
    expect(redact('v=abcdefgh w=abcd')).toBe('v=*** w=***');
    // Reused redactors keep working (global regexes reset their position).
    expect(redact('v=abcdefgh')).toBe('v=***');
  });

  it('ignores very short secret values and empty matches', () => {
    expect(createRedactor({ values: ['ab', ''] })('abcabc')).toBe('abcabc');
    expect(createRedactor({ patterns: ['x*'] })('axxb')).toBe('a***b');
  });

  it('names an invalid pattern', () => {
    expect(() => createRedactor({ patterns: ['(unclosed'] })).toThrow(/\(unclosed/);
  });

  it('changes nothing without patterns or values', () => {
    expect(createRedactor()('password=1')).toBe('password=1');
  });
});

describe('redactDeep', () => {
  it('masks values under sensitive keys and redacts every string, keeping references', () => {
    const redact = createRedactor({ values: ['s3cret!'] });
    const input = {
      env: { DB_PASSWORD: 'pw', HOME: '/root', NOTE: 'use s3cret! here' },
      secretEnv: { TOKEN: { fromEnv: 'TOKEN_VAR' }, INLINE: 'literal-value' },
      list: [{ apiKey: 'k' }],
      credentials: { key: 'AKIA1234', port: 5432 },
    };
    expect(redactDeep(input, redact)).toEqual({
      env: { DB_PASSWORD: '***', HOME: '/root', NOTE: 'use *** here' },
      secretEnv: { TOKEN: { fromEnv: 'TOKEN_VAR' }, INLINE: '***' },
      list: [{ apiKey: '***' }],
      credentials: { key: '***', port: '***' },
    });
    expect(redactDeep(input, redact, { maskKeys: false })).toMatchObject({ env: { DB_PASSWORD: 'pw' } });
  });

  it('treats a path as sensitive below a sensitive key until a reference key', () => {
    expect(isSensitivePath(['spec', 'env', 'DB_PASSWORD'])).toBe(true);
    expect(isSensitivePath(['spec', 'secretEnv', 'API_TOKEN', 'fromEnv'])).toBe(false);
    expect(isSensitivePath(['spec', 'secretEnv', 'INLINE'])).toBe(true);
    expect(isSensitivePath(['spec', 'env', 'PORT'])).toBe(false);
  });

  it('knows secret-looking key names', () => {
    for (const key of ['password', 'DB_PASSWD', 'apiKey', 'API_TOKEN', 'client_secret', 'private-key']) {
      expect(isSensitiveKey(key), key).toBe(true);
    }
    for (const key of ['PORT', 'command', 'fromEnv', 'path']) expect(isSensitiveKey(key), key).toBe(false);
  });
});
