import type { SourceProvider } from '../core/index.js';
import type { ServerMetrics } from './metrics.js';

/**
 * A SourceProvider that times every `fetch` into `wheelhouse_git_fetch_duration_seconds` and
 * otherwise passes straight through, optional methods included (without `fetchRef` no pull
 * request could be previewed). `up` wraps the git source with it before creating the engine.
 */
export function instrumentSource(
  source: SourceProvider,
  metrics: Pick<ServerMetrics, 'gitFetchDuration'>,
): SourceProvider {
  return {
    async fetch(repo) {
      const stop = metrics.gitFetchDuration.startTimer();
      try {
        const result = await source.fetch(repo);
        stop({ result: 'ok' });
        return result;
      } catch (err) {
        stop({ result: 'error' });
        throw err;
      }
    },
    resolve: (repo, ref) => source.resolve(repo, ref),
    treeIds: (repo, revision, paths) => source.treeIds(repo, revision, paths),
    readFiles: (repo, revision, path, tree) => source.readFiles(repo, revision, path, tree),
    readFile: (repo, revision, path) => source.readFile(repo, revision, path),
    materialize: (repo, revision, path) => source.materialize(repo, revision, path),
    log: (repo, from, to, path, limit) => source.log(repo, from, to, path, limit),
    commit: (repo, revision) => source.commit(repo, revision),
    verifyCommits: (repo, from, to, trust) => source.verifyCommits(repo, from, to, trust),
    close: () => source.close(),
    ...(source.fetchRef ? { fetchRef: source.fetchRef.bind(source) } : {}),
  };
}
