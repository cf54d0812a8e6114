import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { type AppStatus, appsOf } from '../core/index.js';
import { appSummarySchema } from '../wire/index.js';
import type { AppListQuery } from './app-list-page.js';
import { pageOfApps } from './app-list-page.js';
import type { ServerContext } from './context.js';
import type { Reader } from './read-access.js';

/** A serialised `GET /api/v1/apps` answer and its entity tag (a hash of the body). */
export interface AppListBody {
  body: string;
  etag: string;
  /**
   * The body gzipped and its own entity tag, for a list shared by the readers of every app: made
   * once per body, on the thread pool, when the first request that accepts gzip asks for it.
   * Absent for a list filtered for one reader (made per request, so not worth compressing).
   */
  gzipped?: { etag: string; bytes(): Promise<Buffer> };
}

const gzipAsync = promisify(gzip);

/** What the list holds of each app: the summary fields only (resources and the rest dropped). */
const summaries = z.array(appSummarySchema);
type AppSummary = z.infer<typeof appSummarySchema>;

/**
 * Rebuilt whole at least this often (even without an event), in case a change announced none;
 * in between, a build re-reads only the apps that events named since the previous one.
 */
const MAX_AGE_MS = 1_000;
/**
 * Rebuilt at most this often: a request after an event waits for the next build instead of making
 * its own, so 1,000 apps syncing (an event every millisecond) with 200 dashboards re-reading cost
 * four builds a second, not one per request.
 */
const MIN_REBUILD_MS = 250;
/** Distinct filter combinations whose bodies are kept between changes. */
const MAX_BODIES = 64;
/** And at most this much of them (10,000 apps make a list of about 3.5 MiB). */
const MAX_SERVED_BYTES = 32 * 1024 * 1024;

/** One build of the list and the bodies serialised from it. */
interface Built {
  at: number;
  /** When the list this build starts from was last built whole. */
  wholeAt: number;
  apps: Promise<AppSummary[]>;
  bodies: Map<string, AppListBody>;
}

/**
 * The app list as `GET /api/v1/apps` serves it, built (redacted, commit subjects filled in) and
 * checked against the wire schema and serialised once per change instead of once per request.
 * Any engine event makes it stale; the next request rebuilds it, or, when the last build is
 * younger than `MIN_REBUILD_MS`, waits for the build due then, which every request in between
 * shares. Either way an answer is built after the request arrived, so it shows every event
 * published before it. Without events it is rebuilt at most `MAX_AGE_MS` after it was built.
 * A build between whole ones takes the previous list and builds again only the apps the events
 * since then named (an event about no app in particular, or an app the list lacks, makes it
 * whole): with 1,000 apps syncing, a few dozen summaries four times a second instead of 1,000.
 * Readers who may read every app share the serialised bodies (one per filter combination);
 * others get the shared list filtered for them.
 */
export function createAppListCache(
  ctx: Pick<ServerContext, 'engine' | 'redact'>,
  withSubjects: (apps: AppStatus[]) => Promise<AppStatus[]>,
  clock: () => number = () => performance.now(),
) {
  let built: Built | undefined;
  let stale = false;
  /** The apps named by events since the last build began; `all` when one named none. */
  let changed: Set<string> | 'all' = 'all';
  let next: { built: Promise<Built>; timer: ReturnType<typeof setTimeout>; now(): void } | undefined;
  const unsubscribe = ctx.engine.events.subscribe((event) => {
    stale = true;
    if (changed === 'all') return;
    const apps = appsOf(event);
    if (apps.length === 0) changed = 'all';
    else for (const app of apps) changed.add(app);
  });

  const summarise = (apps: AppStatus[]): Promise<AppSummary[]> =>
    withSubjects(apps).then((all) => summaries.parse(ctx.redact.strings(all)));

  /** The previous list with the named apps built again; undefined when it has to be built whole. */
  const amended = async (previous: Promise<AppSummary[]>, names: Set<string>) => {
    const list = await previous;
    const listed = new Set(list.map((a) => a.name));
    const statuses: AppStatus[] = [];
    for (const name of names) {
      if (!listed.has(name)) return undefined; // a new app: its place in the order is the engine's
      try {
        statuses.push(ctx.engine.status(name));
      } catch {
        return undefined; // removed meanwhile
      }
    }
    const fresh = new Map((await summarise(statuses)).map((a) => [a.name, a]));
    return list.map((a) => fresh.get(a.name) ?? a);
  };

  const build = (): Built => {
    stale = false;
    const now = clock();
    const names = changed;
    changed = new Set();
    const previous = built;
    const whole = names === 'all' || !previous || now - previous.wholeAt >= MAX_AGE_MS;
    const apps = whole
      ? summarise(ctx.engine.apps())
      : amended(previous.apps, names).then((list) => list ?? summarise(ctx.engine.apps()));
    const made: Built = { at: now, wholeAt: whole ? now : previous.wholeAt, apps, bodies: new Map() };
    built = made;
    apps.catch(() => {
      if (built === made) built = undefined; // the next request tries again, whole
      changed = 'all';
    });
    return made;
  };

  const current = (): Promise<Built> | Built => {
    const now = clock();
    if (built && !stale && now - built.at <= MAX_AGE_MS) return built;
    if (!built || now - built.at >= MIN_REBUILD_MS) return build();
    if (!next) {
      const since = now;
      let resolve: (value: Built) => void = () => {};
      const made = new Promise<Built>((r) => {
        resolve = r;
      });
      const fire = () => {
        if (!next) return;
        clearTimeout(next.timer);
        next = undefined;
        // Built after the first waiting request arrived and nothing since: good for all of them.
        resolve(built && !stale && built.at >= since ? built : build());
      };
      const timer = setTimeout(fire, built.at + MIN_REBUILD_MS - now);
      timer.unref?.();
      next = { built: made, timer, now: fire };
    }
    return next.built;
  };

  const text = (apps: AppSummary[], query: AppListQuery): string =>
    JSON.stringify({ ...pageOfApps(apps, query), control: ctx.redact.strings(ctx.engine.control()) });
  const tagged = (body: string): AppListBody => ({
    body,
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
  });

  /** The shared bodies last served, per filter combination: kept while a new build says the same. */
  const served = new Map<string, AppListBody>();
  let servedBytes = 0;
  /**
   * A body the readers of every app share, with its gzipped form made at most once (and again
   * after a failure). When a build serialises to the same text as before (events that changed
   * nothing shown), the previous body is served again, with its tag and its compressed bytes.
   */
  const shared = (key: string, body: string): AppListBody => {
    const before = served.get(key);
    if (before?.body === body) return before;
    const listed = tagged(body);
    let bytes: Promise<Buffer> | undefined;
    const compress = (): Promise<Buffer> => {
      const made = gzipAsync(body, { level: 1 }); // nearly the size of level 6 for JSON, in ⅔ the time
      made.catch(() => {
        if (bytes === made) bytes = undefined;
      });
      return made;
    };
    const made: AppListBody = {
      ...listed,
      gzipped: { etag: `${listed.etag.slice(0, -1)}.gz"`, bytes: () => (bytes ??= compress()) },
    };
    servedBytes += body.length;
    if (served.size >= MAX_BODIES || servedBytes > MAX_SERVED_BYTES) {
      served.clear();
      servedBytes = body.length;
    }
    served.set(key, made);
    return made;
  };

  return {
    async body(reader: Reader, query: AppListQuery): Promise<AppListBody> {
      const { apps: list, bodies } = await current();
      const apps = await list;
      if (!reader.everything)
        return tagged(
          text(
            apps.filter((a) => reader.may(a.name)),
            query,
          ),
        );
      const key = JSON.stringify([query.environment, query.health, query.limit, query.cursor]);
      let found = bodies.get(key);
      if (!found) {
        found = shared(key, text(apps, query));
        if (bodies.size >= MAX_BODIES) bodies.clear();
        bodies.set(key, found);
      }
      return found;
    },
    /** Stops following events; a request still waiting for a build gets one now. */
    close() {
      unsubscribe();
      next?.now();
    },
  };
}

/** True when `If-None-Match` names this entity tag (or `*`); weak and strong tags compare alike. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || strip(tag) === etag);
}

/** True when `Accept-Encoding` accepts gzip (`gzip` or `*`, without `q=0`). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
