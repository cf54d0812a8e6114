import { describe, expect, it } from 'vitest';
import { parseResourceKey, resourceKey } from '../../src/core/index.js';

describe('resource keys', () => {
  it('round-trips target/kind/namespace/name', () => {
    const key = resourceKey('local', 'Process', 'web', 'api');
    expect(key).toBe('local/Process/web/api');
    expect(parseResourceKey(key)).toEqual({
      target: 'local',
      kind: 'Process',
      namespace: 'web',
      name: 'api',
    });
  });

  it('rejects keys without four parts', () => {
    expect(parseResourceKey('local/Process/web')).toBeUndefined();
    expect(parseResourceKey('a/b/c/d/e')).toBeUndefined();
  });
});
