import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchRow } from './scenario.js';

export interface ScenarioResult {
  scenario: string;
  description: string;
  rows: BenchRow[];
  error?: string;
}

/** Print one table for all scenarios. */
export function printTable(
  results: readonly ScenarioResult[],
  out: NodeJS.WritableStream = process.stdout,
): void {
  const lines: string[][] = [['scenario', 'metric', 'value', 'target']];
  for (const result of results) {
    if (result.error) lines.push([result.scenario, 'FAILED', result.error, '']);
    for (const row of result.rows) {
      lines.push([result.scenario, row.metric, `${row.value} ${row.unit}`, row.target ?? '']);
      for (const [key, value] of Object.entries(row.detail ?? {}))
        lines.push(['', `  ${key}`, String(value), '']);
    }
  }
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length))) ?? [];
  for (const [index, line] of lines.entries()) {
    out.write(`${line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}\n`);
    if (index === 0) out.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
}

/** Write `bench/results/<timestamp>.json` and `latest.json`, so runs compare side by side. */
export async function writeResults(dir: string, results: readonly ScenarioResult[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const body = `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`;
  const file = join(dir, `${stamp}.json`);
  await writeFile(file, body);
  await writeFile(join(dir, 'latest.json'), body);
  return file;
}
