import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  engines?: { node?: string } | string[];
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

describe('declared engines', () => {
  it('every locked package runs on the oldest Node the package.json engines allow', () => {
    const oldest = semver.minVersion(manifest.engines.node)?.version;
    expect(oldest).toBeDefined();
    const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined || semver.satisfies(oldest as string, range)) return [];
      return [`${path || 'package.json'} needs node ${range}`];
    });
    // A dependency that needs a newer Node than `engines` says: pin it in package.json
    // `overrides` to a release that supports the oldest Node, or raise `engines`.
    expect(refusing).toEqual([]);
  });
});
