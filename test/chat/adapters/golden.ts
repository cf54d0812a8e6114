import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/**
 * Compare `actual` with the golden file at `path`. `UPDATE_GOLDEN=1 npx vitest run …` rewrites
 * the files (review the diff before committing); a missing file fails with that hint.
 */
export async function expectGolden(path: string, actual: string): Promise<void> {
  const text = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing; create it with UPDATE_GOLDEN=1 and review it`);
  }
  expect(text).toBe(await readFile(path, 'utf8'));
}
