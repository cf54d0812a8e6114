import type { AppSpec, SyncWindow } from '../core/index.js';
import { matchesAny } from '../util/glob.js';
import { formatDuration } from '../util/index.js';
import { type CronSchedule, lastStartWithin, parseCron } from './cron.js';

/** Why syncs of an app may not run by themselves now, naming the window. */
export interface ClosedWindow {
  window: string;
  kind: 'allow' | 'deny';
  /** A person may still sync when forced (deny) — or freely (outside allow windows). */
  reason: string;
  /** When the deny window closes (ISO); absent for "outside every allow window". */
  until?: string;
}

const schedules = new Map<string, CronSchedule | undefined>();
function scheduleOf(text: string): CronSchedule | undefined {
  if (!schedules.has(text)) {
    const parsed = parseCron(text);
    schedules.set(text, 'error' in parsed ? undefined : parsed);
  }
  return schedules.get(text);
}

/** The windows that apply to an app: each list given must match it (none given: every app). */
export function windowsFor(
  windows: readonly SyncWindow[],
  app: Pick<AppSpec, 'name' | 'environment' | 'target'>,
): SyncWindow[] {
  const fits = (patterns: readonly string[], value: string) =>
    patterns.length === 0 || matchesAny(patterns, value);
  return windows.filter(
    (w) => fits(w.apps, app.name) && fits(w.environments, app.environment) && fits(w.targets, app.target),
  );
}

/** When the window is open at `now`, when it opened. */
export function openedAt(window: SyncWindow, now: Date): Date | undefined {
  const schedule = scheduleOf(window.schedule);
  return schedule ? lastStartWithin(schedule, now, window.durationMs, window.timeZone) : undefined;
}

/**
 * Whether automatic syncs of the app wait now: an open deny window closes it (deny wins), and an
 * app with allow windows syncs by itself only inside one of them. Undefined: open.
 */
export function closedWindow(
  windows: readonly SyncWindow[] | undefined,
  app: Pick<AppSpec, 'name' | 'environment' | 'target'>,
  now: Date,
): ClosedWindow | undefined {
  const mine = windowsFor(windows ?? [], app);
  for (const window of mine.filter((w) => w.kind === 'deny')) {
    const opened = openedAt(window, now);
    if (!opened) continue;
    const until = new Date(opened.getTime() + window.durationMs);
    return {
      window: window.name,
      kind: 'deny',
      reason: `the deny window ${window.name} ("${window.schedule}" ${window.timeZone} for ${formatDuration(window.durationMs)}) is open until ${until.toISOString()}`,
      until: until.toISOString(),
    };
  }
  const allows = mine.filter((w) => w.kind === 'allow');
  if (allows.length === 0 || allows.some((w) => openedAt(w, now))) return undefined;
  return {
    window: allows.map((w) => w.name).join(', '),
    kind: 'allow',
    reason: `it is outside its allow window${allows.length > 1 ? 's' : ''} ${allows.map((w) => `${w.name} ("${w.schedule}" ${w.timeZone} for ${formatDuration(w.durationMs)})`).join(', ')}`,
  };
}
