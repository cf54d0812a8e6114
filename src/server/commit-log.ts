import type {
  AppSpec,
  CommitInfo,
  ControlConfig,
  Engine,
  Logger,
  RepoRef,
  SourceProvider,
} from '../core/index.js';
import { errorMessage } from '../core/index.js';
import { LruCache } from '../util/index.js';

/** A commit with the apps whose path it changed. */
export interface AppCommit extends CommitInfo {
  /** Sanitized repository URL. */
  repo: string;
  apps: string[];
}

export interface CommitLog {
  /** Commits that changed the app's path, newest first, up to the revision Git declares now. */
  forApp(app: string, limit: number): Promise<AppCommit[]>;
  /** Commits to every repository apps follow, newest first, each with the apps it changed. */
  recent(limit: number): Promise<AppCommit[]>;
  /** The subject of an app's commit (cached: commits never change); undefined when unknown. */
  subject(app: string, sha: string): Promise<string | undefined>;
  /** The subject when it is known already, without waiting (the hot path of `GET /apps`). */
  knownSubject(app: string, sha: string): string | undefined;
  /** The newest commit at `revision` that changed the app's path (cached); undefined when unknown. */
  changeAt(app: string, revision: string): Promise<string | undefined>;
}

export interface CommitLogDeps {
  engine: Engine;
  source: SourceProvider;
  /** The control repo (apps without their own `source.repo` live in it); default: the app's source repo. */
  controlRepo?: RepoRef;
  config: () => ControlConfig | undefined;
  log: Logger;
}

/**
 * Commit history for the API and the dashboard, read through the source's mirrors. Results are
 * cached by revision (what a sha names never changes), so a page that polls costs git nothing
 * until a new commit arrives. `recent` reads one log per repository, not one per app, and finds
 * the apps each commit changed by comparing the apps' tree ids with the next older commit's.
 */
export function createCommitLog(deps: CommitLogDeps): CommitLog {
  const logs = new LruCache<string, Promise<AppCommit[]>>(256);
  const subjects = new LruCache<string, Promise<string | undefined>>(4096);
  const known = new LruCache<string, string>(8192);
  const changes = new LruCache<string, Promise<string | undefined>>(8192);
  // Apps by name, per config object (a new config is a new object): lookups stay O(1) with many apps.
  const specsByConfig = new WeakMap<ControlConfig, Map<string, AppSpec>>();

  const specOf = (app: string): AppSpec | undefined => {
    const config = deps.config();
    if (!config) return undefined;
    let specs = specsByConfig.get(config);
    if (!specs) {
      specs = new Map(config.apps.map((a) => [a.name, a]));
      specsByConfig.set(config, specs);
    }
    return specs.get(app);
  };
  const repoOf = (spec: AppSpec): RepoRef =>
    spec.sourceIsControlRepo && deps.controlRepo
      ? deps.controlRepo
      : { url: spec.source.repo, ...(spec.source.auth ? { auth: spec.source.auth } : {}) };
  const headOf = (app: string): string | undefined => {
    try {
      const status = deps.engine.status(app);
      return status.desiredRevision ?? status.revision;
    } catch {
      return undefined;
    }
  };
  const remember = (repo: string, commits: readonly CommitInfo[]) => {
    for (const c of commits) {
      subjects.set(`${repo}\0${c.sha}`, Promise.resolve(c.subject));
      known.set(`${repo}\0${c.sha}`, c.subject);
    }
  };
  const cached = (key: string, load: () => Promise<AppCommit[]>): Promise<AppCommit[]> => {
    const hit = logs.get(key);
    if (hit) return hit;
    const loading = load().catch((err: unknown) => {
      logs.delete(key); // a failure is not remembered: the next request tries again
      throw err;
    });
    logs.set(key, loading);
    return loading;
  };

  async function forApp(app: string, limit: number): Promise<AppCommit[]> {
    const spec = specOf(app);
    const head = headOf(app);
    if (!spec || !head) return [];
    const repo = repoOf(spec);
    return cached(`app\0${repo.url}\0${head}\0${spec.path}\0${limit}`, async () => {
      const commits = await deps.source.log(repo, undefined, head, spec.path, limit);
      remember(repo.url, commits);
      return commits.map((c) => ({ ...c, repo: repo.url, apps: [app] }));
    });
  }

  async function recentOf(repo: RepoRef, head: string, apps: readonly AppSpec[], limit: number) {
    return cached(
      `repo\0${repo.url}\0${head}\0${apps.map((a) => `${a.name}=${a.path}`).join(',')}\0${limit}`,
      async () => {
        // One more than asked, so every commit shown has the next older one to compare with.
        const commits = await deps.source.log(repo, undefined, head, undefined, limit + 1);
        remember(repo.url, commits);
        const paths = [...new Set(apps.map((a) => a.path))];
        const trees: Map<string, string | null>[] = [];
        for (const commit of commits) trees.push(await deps.source.treeIds(repo, commit.sha, paths));
        return commits.slice(0, limit).map((commit, i) => {
          const tree = trees[i];
          const older = trees[i + 1];
          const changed = apps
            .filter((a) => {
              const now = tree?.get(a.path) ?? null;
              const before = older ? (older.get(a.path) ?? null) : null;
              return now !== before;
            })
            .map((a) => a.name);
          return { ...commit, repo: repo.url, apps: changed };
        });
      },
    );
  }

  return {
    forApp,
    async recent(limit) {
      const config = deps.config();
      if (!config) return [];
      // Apps grouped by repository and the revision Git declares for them.
      const groups = new Map<string, { repo: RepoRef; head: string; apps: AppSpec[] }>();
      for (const spec of config.apps) {
        const head = headOf(spec.name);
        if (!head) continue;
        const repo = repoOf(spec);
        const key = `${repo.url}\0${head}`;
        const group = groups.get(key) ?? { repo, head, apps: [] };
        group.apps.push(spec);
        groups.set(key, group);
      }
      const bySha = new Map<string, AppCommit>();
      for (const group of groups.values()) {
        let commits: AppCommit[];
        try {
          commits = await recentOf(group.repo, group.head, group.apps, limit);
        } catch (err) {
          deps.log.warn(
            { repo: group.repo.url, err: errorMessage(err) },
            'could not read commits for the timeline',
          );
          continue;
        }
        for (const commit of commits) {
          const key = `${commit.repo}\0${commit.sha}`;
          const seen = bySha.get(key);
          if (seen) seen.apps = [...new Set([...seen.apps, ...commit.apps])].sort();
          else bySha.set(key, { ...commit, apps: [...commit.apps] });
        }
      }
      return [...bySha.values()]
        .sort((a, b) => Date.parse(b.authoredAt) - Date.parse(a.authoredAt))
        .slice(0, limit);
    },
    subject(app, sha) {
      const spec = specOf(app);
      if (!spec) return Promise.resolve(undefined);
      const repo = repoOf(spec);
      const key = `${repo.url}\0${sha}`;
      const pending = subjects.get(key);
      if (pending) return pending;
      // One lookup per commit however many apps (and requests) ask at once.
      const lookup = deps.source.commit(repo, sha).then(
        (commit) => {
          known.set(key, commit.subject);
          return commit.subject;
        },
        (err: unknown) => {
          subjects.delete(key);
          deps.log.debug({ app, sha, err: errorMessage(err) }, 'no commit subject');
          return undefined;
        },
      );
      subjects.set(key, lookup);
      return lookup;
    },
    knownSubject(app, sha) {
      const spec = specOf(app);
      return spec ? known.get(`${repoOf(spec).url}\0${sha}`) : undefined;
    },
    changeAt(app, revision) {
      const spec = specOf(app);
      if (!spec) return Promise.resolve(undefined);
      const repo = repoOf(spec);
      const key = `${repo.url}\0${revision}\0${spec.path}`;
      const hit = changes.get(key);
      if (hit) return hit;
      const lookup = deps.source.log(repo, undefined, revision, spec.path, 1).then(
        (commits) => commits[0]?.sha,
        (err: unknown) => {
          changes.delete(key);
          deps.log.debug({ app, revision, err: errorMessage(err) }, 'no commit for the revision');
          return undefined;
        },
      );
      changes.set(key, lookup);
      return lookup;
    },
  };
}
