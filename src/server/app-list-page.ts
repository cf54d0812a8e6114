import type { HealthCode } from '../core/index.js';
import { WheelhouseError } from '../core/index.js';

/** Filters and page size of `GET /api/v1/apps` (validated by `appListQuery`). */
export interface AppListQuery {
  environment?: string | undefined;
  health?: HealthCode | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

interface Listed {
  name: string;
  environment: string;
  health: { status: HealthCode };
}

/** The cursor names the last app of the previous page, so pages stay right when apps come and go. */
const encodeCursor = (name: string): string => Buffer.from(name, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

/**
 * One page of the app list in the engine's order: the apps matching `environment` and `health`
 * after the cursor's app, at most `limit` of them, and the cursor of the next page when more match.
 */
export function pageOfApps<T extends Listed>(
  apps: readonly T[],
  query: AppListQuery,
): { apps: T[]; nextCursor?: string } {
  const matching = apps.filter(
    (a) =>
      (query.environment === undefined || a.environment === query.environment) &&
      (query.health === undefined || a.health.status === query.health),
  );
  let start = 0;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const index = matching.findIndex((a) => a.name === after);
    if (index < 0) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `the cursor of GET /api/v1/apps names app "${after}", which is no longer in the filtered list; ` +
          'list again from the first page (leave out `cursor`)',
        { details: { field: 'cursor' } },
      );
    }
    start = index + 1;
  }
  const end = query.limit === undefined ? matching.length : Math.min(matching.length, start + query.limit);
  const page = matching.slice(start, end);
  const last = page.at(-1);
  return end < matching.length && last ? { apps: page, nextCursor: encodeCursor(last.name) } : { apps: page };
}
