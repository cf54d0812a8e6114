/**
 * Health of a resource or an app. Codes are ordered from best to worst; an aggregate takes the
 * worst of its parts (the ordering and `worse()` live in `src/health`).
 */
export type HealthCode = 'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';

export const HEALTH_CODES: readonly HealthCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

export interface Health {
  status: HealthCode;
  /** Why, in a sentence a person can act on (e.g. the last log lines of a crash loop). */
  message?: string;
}

export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';
