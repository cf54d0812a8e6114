/** How health, sync status and results look: a tone (colour), an icon and a word, so they read without colour. */

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';
export type IconName =
  | 'check'
  | 'cross'
  | 'pause'
  | 'spinner'
  | 'question'
  | 'missing'
  | 'diverge'
  | 'clock'
  | 'lock'
  | 'pin'
  | 'ban';

export interface Presentation {
  tone: Tone;
  icon: IconName;
  label: string;
}

export const HEALTH_ORDER = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
] as const;

export function healthPresentation(status: string | undefined): Presentation {
  switch (status) {
    case 'Healthy':
      return { tone: 'ok', icon: 'check', label: 'Healthy' };
    case 'Progressing':
      return { tone: 'info', icon: 'spinner', label: 'Progressing' };
    case 'Suspended':
      return { tone: 'muted', icon: 'pause', label: 'Suspended' };
    case 'Missing':
      return { tone: 'warn', icon: 'missing', label: 'Missing' };
    case 'Degraded':
      return { tone: 'bad', icon: 'cross', label: 'Degraded' };
    default:
      return { tone: 'muted', icon: 'question', label: status ?? 'Unknown' };
  }
}

export function syncPresentation(status: string | undefined): Presentation {
  switch (status) {
    case 'Synced':
      return { tone: 'ok', icon: 'check', label: 'Synced' };
    case 'OutOfSync':
      return { tone: 'warn', icon: 'diverge', label: 'Out of sync' };
    default:
      return { tone: 'muted', icon: 'question', label: 'Unknown' };
  }
}

/** Sync results and approval statuses. */
export function resultPresentation(result: string | undefined): Presentation {
  switch (result) {
    case 'succeeded':
    case 'done':
    case 'executed':
    case 'approved':
    case 'allowed':
      return { tone: 'ok', icon: 'check', label: result };
    case 'running':
    case 'working':
      return { tone: 'info', icon: 'spinner', label: result };
    case 'pending':
    case 'awaiting-approval':
      return { tone: 'warn', icon: 'clock', label: result === 'pending' ? 'pending' : 'awaiting approval' };
    case 'failed':
      return { tone: 'bad', icon: 'cross', label: 'failed' };
    case 'refused':
    case 'denied':
      return { tone: 'bad', icon: 'ban', label: result };
    case 'cancelled':
    case 'expired':
      return { tone: 'muted', icon: 'pause', label: result };
    default:
      return { tone: 'muted', icon: 'question', label: result ?? 'unknown' };
  }
}
