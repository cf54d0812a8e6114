import type { Health, HealthCode } from '../../core/index.js';
import { HEALTH_CODES } from '../../core/index.js';
import type { ExitRecord } from './state-types.js';

/** "exited with code 1", "was killed by SIGKILL", "could not start: ..." */
export function describeExit(exit: ExitRecord | undefined): string {
  if (!exit) return 'never started';
  if (exit.error) return `could not start: ${exit.error}`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return 'exited (exit status unknown: it was started by an earlier run of the engine)';
}

/** Whether a restart policy restarts after this exit. An unknown status counts as a failure. */
export function restartsAfter(policy: 'always' | 'on-failure' | 'never', exit: ExitRecord): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return exit.error !== undefined || exit.code !== 0;
}

const rank = (code: HealthCode): number => HEALTH_CODES.indexOf(code);

/** The worse of several healths (the first of equals wins, keeping its message). */
export function worstHealth(healths: readonly Health[], fallback: Health): Health {
  let worst: Health | undefined;
  for (const health of healths) if (!worst || rank(health.status) > rank(worst.status)) worst = health;
  return worst ?? fallback;
}

/** Log lines as one readable block. */
export function formatTail(lines: readonly string[]): string {
  return lines.length === 0 ? '(no output)' : lines.map((line) => `  | ${line}`).join('\n');
}
