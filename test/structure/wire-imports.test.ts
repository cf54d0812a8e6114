import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/wire/', import.meta.url);

describe('the wire schemas (src/wire)', () => {
  it('import nothing but zod, core/health and each other, so the dashboard can take its types from them', () => {
    const imports = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(new URL(file, dir), 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)].map(
          (match) => `${file}: ${match[1]}`,
        ),
      );
    expect(imports.length).toBeGreaterThan(0);
    const foreign = imports.filter((line) => !/: (zod|\.\.\/core\/health\.js|\.\/[a-z-]+\.js)$/.test(line));
    expect(foreign).toEqual([]);
  });

  it('are where the dashboard takes the API types from (type-only, no copies)', () => {
    const types = readFileSync(new URL('../../src/web/api/types.ts', import.meta.url), 'utf8');
    expect(types).toMatch(/import type \{[^}]*appSummarySchema[^}]*\} from '\.\.\/\.\.\/wire\/index\.js'/);
    expect(types).not.toMatch(
      /export interface (AppSummary|AppDetail|SyncRecord|LogLine|Commit|TimelineItem)\b/,
    );
  });
});
