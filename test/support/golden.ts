import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';

/**
 * Compares a value with its golden file (JSON, or text for strings). `UPDATE_GOLDEN=1` rewrites
 * the files; a missing golden file fails with that hint, so a test never passes by writing one.
 */
export async function expectGolden(file: string, value: unknown): Promise<void> {
  const rendered = typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(file, rendered);
    return;
  }
  let golden: string;
  try {
    golden = await readFile(file, 'utf8');
  } catch {
    throw new Error(`golden file ${file} is missing: run the test with UPDATE_GOLDEN=1 and review the file`);
  }
  expect(rendered).toBe(golden);
}
