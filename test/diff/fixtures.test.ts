import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DesiredResource, LiveResource, ResourceChange } from '../../src/core/index.js';
import { diffResources, syncStatusOf } from '../../src/diff/index.js';

// Desired/live pairs in the style of gitops-engine's pkg/diff/testdata: `<name>-desired.json`
// ({ digest, resources }), `<name>-live.json` and the change set expected, `<name>-expected.json`.
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const names = readdirSync(dir)
  .filter((file) => file.endsWith('-desired.json'))
  .map((file) => file.slice(0, -'-desired.json'.length))
  .sort();

const read = <T>(file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;

describe('diff fixtures', () => {
  it('finds the fixture pairs', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'env-change',
        'numeric-string',
        'normalized-equal',
        'create-delete',
        'drift',
        'hooks',
      ]),
    );
  });

  it.each(names)('%s', (name) => {
    const { digest, resources } = read<{ digest: string; resources: DesiredResource[] }>(
      `${name}-desired.json`,
    );
    const live = read<LiveResource[]>(`${name}-live.json`);
    const expected = read<ResourceChange[]>(`${name}-expected.json`);
    const changes = diffResources(resources, live, { digest });
    expect(changes).toEqual(expected);
    // Pure: the same input gives the same output, whatever order the driver listed live state in.
    expect(diffResources(resources, [...live].reverse(), { digest })).toEqual(expected);
    expect(syncStatusOf(changes)).toBe(
      expected.every((change) => change.action === 'unchanged') ? 'Synced' : 'OutOfSync',
    );
  });
});
