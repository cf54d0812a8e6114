import type { Engine, RepoRef, SourceProvider } from '../../core/index.js';
import type { DeliveryCommits } from './gather.js';

/** Commits of each app's path read straight from the source's mirrors (no cache: a chat answer reads once). */
export function sourceCommits(engine: Engine, source: SourceProvider): DeliveryCommits {
  const where = (app: string): { repo: RepoRef; path: string } | undefined => {
    const spec = engine.config().apps.find((a) => a.name === app);
    if (!spec) return undefined;
    return {
      repo: { url: spec.source.repo, ...(spec.source.auth ? { auth: spec.source.auth } : {}) },
      path: spec.path,
    };
  };
  return {
    async forApp(app, limit) {
      const at = where(app);
      const status = engine.status(app);
      const head = status.desiredRevision ?? status.revision;
      if (!at || !head) return [];
      return source.log(at.repo, undefined, head, at.path, limit);
    },
    async changeAt(app, revision) {
      const at = where(app);
      if (!at) return undefined;
      const [commit] = await source.log(at.repo, undefined, revision, at.path, 1).catch(() => []);
      return commit?.sha;
    },
  };
}
