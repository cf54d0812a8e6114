/** Filters of the apps overview and the activity timeline. Pure. */

export interface AppLike {
  name: string;
  environment: string;
  target: string;
  syncStatus: string;
  health: { status: string; message?: string };
  revision?: string;
  commitSubject?: string;
  lock?: { holder: string; reason: string };
}

export interface AppFilter {
  /** Words that must all appear in the name, environment, target, revision, subject or lock. */
  text: string;
  /** Empty for every environment. */
  environment: string;
  /** A health code, `attention` (anything but Healthy, or out of sync), or empty for all. */
  health: string;
}

export const EMPTY_APP_FILTER: AppFilter = { text: '', environment: '', health: '' };

function haystack(app: AppLike): string {
  return [
    app.name,
    app.environment,
    app.target,
    app.syncStatus,
    app.health.status,
    app.revision?.slice(0, 12),
    app.commitSubject,
    app.lock ? `locked ${app.lock.holder} ${app.lock.reason}` : '',
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

export function matchesApp(app: AppLike, filter: AppFilter): boolean {
  if (filter.environment && app.environment !== filter.environment) return false;
  if (filter.health === 'attention') {
    if (app.health.status === 'Healthy' && app.syncStatus === 'Synced') return false;
  } else if (filter.health && app.health.status !== filter.health) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(app);
  return words.every((word) => text.includes(word));
}

export function filterApps<T extends AppLike>(apps: readonly T[], filter: AppFilter): T[] {
  return apps.filter((app) => matchesApp(app, filter));
}

/** Distinct environments, sorted, for the environment filter. */
export function environmentsOf(apps: readonly AppLike[]): string[] {
  return [...new Set(apps.map((a) => a.environment))].sort();
}

/** The filter as URL query parameters (empty ones left out), so a filtered view can be shared. */
export function filterToQuery(filter: AppFilter): string {
  const params = new URLSearchParams();
  if (filter.text) params.set('q', filter.text);
  if (filter.environment) params.set('env', filter.environment);
  if (filter.health) params.set('health', filter.health);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function filterFromQuery(search: string): AppFilter {
  const params = new URLSearchParams(search);
  return {
    text: params.get('q') ?? '',
    environment: params.get('env') ?? '',
    health: params.get('health') ?? '',
  };
}

/** Timeline kinds grouped as the activity filter shows them. */
export const ACTIVITY_GROUPS = {
  commits: ['commit'],
  syncs: ['sync'],
  commands: ['command', 'webhook'],
  approvals: ['approval'],
  refusals: ['refusal'],
  other: ['session', 'audit'],
} as const;

export type ActivityGroup = keyof typeof ACTIVITY_GROUPS;

export function activityGroupOf(kind: string): ActivityGroup {
  for (const [group, kinds] of Object.entries(ACTIVITY_GROUPS)) {
    if ((kinds as readonly string[]).includes(kind)) return group as ActivityGroup;
  }
  return 'other';
}

/** Keeps the items whose kind belongs to one of the shown groups. */
export function filterActivity<T extends { kind: string }>(
  items: readonly T[],
  shown: ReadonlySet<ActivityGroup>,
): T[] {
  return items.filter((item) => shown.has(activityGroupOf(item.kind)));
}
