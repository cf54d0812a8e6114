import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppStatus } from '../core/index.js';
import { appSummarySchema } from '../wire/index.js';
import type { AppListQuery } from './app-list-page.js';
import { pageOfApps } from './app-list-page.js';
import type { ServerContext } from './context.js';
import type { Reader } from './read-access.js';

/** A serialised `GET /api/v1/apps` answer and its entity tag (a hash of the body). */
export interface AppListBody {
  body: string;
  etag: string;
}

/** What the list holds of each app: the summary fields only (resources and the rest dropped). */
const summaries = z.array(appSummarySchema);
type AppSummary = z.infer<typeof appSummarySchema>;

/** Rebuilt at least this often even without an event, in case a change announced none. */
const MAX_AGE_MS = 1_000;
/** Distinct filter combinations whose bodies are kept between changes. */
const MAX_BODIES = 64;

/**
 * The app list as `GET /api/v1/apps` serves it, built (redacted, commit subjects filled in) and
 * checked against the wire schema and serialised once per change instead of once per request: any engine event drops it, and it is
 * rebuilt at most `MAX_AGE_MS` after it was built. Readers who may read every app share the
 * serialised bodies (one per filter combination); others get the shared list filtered for them.
 */
export function createAppListCache(
  ctx: ServerContext,
  withSubjects: (apps: AppStatus[]) => Promise<AppStatus[]>,
  clock: () => number = () => performance.now(),
) {
  let list: { at: number; apps: Promise<AppSummary[]> } | undefined;
  const bodies = new Map<string, AppListBody>();
  const drop = () => {
    list = undefined;
    bodies.clear();
  };
  const unsubscribe = ctx.engine.events.subscribe(drop);

  const current = (): Promise<AppSummary[]> => {
    if (list && clock() - list.at > MAX_AGE_MS) drop();
    if (!list) {
      const apps = withSubjects(ctx.engine.apps()).then((all) => summaries.parse(ctx.redact.strings(all)));
      list = { at: clock(), apps };
      apps.catch(() => {
        if (list?.apps === apps) drop(); // the next request tries again
      });
    }
    return list.apps;
  };

  const serialise = (apps: AppSummary[], query: AppListQuery): AppListBody => {
    const page = pageOfApps(apps, query);
    const body = JSON.stringify({ ...page, control: ctx.redact.strings(ctx.engine.control()) });
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
  };

  return {
    async body(reader: Reader, query: AppListQuery): Promise<AppListBody> {
      const apps = await current();
      if (!reader.everything)
        return serialise(
          apps.filter((a) => reader.may(a.name)),
          query,
        );
      const key = JSON.stringify([query.environment, query.health, query.limit, query.cursor]);
      let found = bodies.get(key);
      if (!found) {
        found = serialise(apps, query);
        if (bodies.size >= MAX_BODIES) bodies.clear();
        bodies.set(key, found);
      }
      return found;
    },
    close: unsubscribe,
  };
}

/** True when `If-None-Match` names this entity tag (or `*`); weak and strong tags compare alike. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || strip(tag) === etag);
}
