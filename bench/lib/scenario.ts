/** One benchmark scenario: runs once, returns rows of figures (never asserts). */
export interface Scenario {
  name: string;
  description: string;
  /** Target figures from the issues, for the table's last column. */
  run(context: BenchContext): Promise<BenchRow[]>;
}

export interface BenchRow {
  metric: string;
  value: number;
  unit: 'ms' | 'MiB' | 'count' | 'req/s' | 'ratio' | '%';
  target?: string;
  /** Breakdown or notes shown under the row. */
  detail?: Record<string, number | string>;
}

export interface BenchContext {
  /** A fresh temporary directory for the scenario, removed afterwards. */
  tmp(label: string): Promise<string>;
  log(message: string): void;
}
