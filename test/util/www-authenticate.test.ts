import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../src/util/www-authenticate.js';

describe('parseChallenge', () => {
  it('reads the realm, service and scope of a registry Bearer challenge', () => {
    const c = parseChallenge(
      'Bearer realm="http://127.0.0.1:5001/token",service="registry.local",scope="repository:shop/web:pull"',
    );
    expect(c).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'http://127.0.0.1:5001/token',
        service: 'registry.local',
        scope: 'repository:shop/web:pull',
      },
    });
  });

  it('reads a Basic challenge and unquoted or escaped values', () => {
    expect(parseChallenge('Basic realm="a \\"b\\"", charset=UTF-8')).toEqual({
      scheme: 'basic',
      params: { realm: 'a "b"', charset: 'UTF-8' },
    });
  });

  it('returns undefined without a header', () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
  });
});
