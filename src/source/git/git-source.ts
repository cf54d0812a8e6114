import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommitInfo,
  type FetchResult,
  type Logger,
  type RepoRef,
  type SourceFile,
  type SourceProvider,
  WheelhouseError,
} from '../../core/index.js';
import { LruCache, shortSha } from '../../util/index.js';
import { ensureSshWrapper, type GitAuth, gitAuth } from './auth.js';
import { COMMIT_FORMAT, parseCommits } from './commits.js';
import { Mirror } from './mirror.js';
import { type ReadLimits, readTreeFiles } from './read-files.js';
import { exactRef, isFullSha, isSemverRange, isShortSha, maxSatisfyingTag, refNotFound } from './refs.js';
import { DEFAULT_GIT_TIMEOUT_MS, type SpawnHook } from './run-git.js';
import { verifyCommits } from './signatures.js';
import { normalizeRepoPath } from './tree-entries.js';
import { subtreeCache, treeIdsUnder } from './tree-ids.js';
import { TreeStore } from './tree-store.js';
import { hasControlChars, mirrorName, parseRepoUrl } from './url.js';

export interface GitSourceDeps {
  /** Wheelhouse's data dir; the git layer owns `<dataDir>/git`. */
  dataDir: string;
  log: Logger;
  /** Where env var names in `RepoAuth` are looked up (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Bound on every git call (default 120 s); on expiry the process group is killed. */
  timeoutMs?: number;
  /** Materialized trees kept by `materialize`'s garbage collection (default 10). */
  keepTrees?: number;
  /** Size guards for `readFiles`. */
  limits?: Partial<ReadLimits>;
}

/**
 * Seams for tests and the bench, kept out of `GitSourceDeps` and of the package's index: only
 * they reach `createGitSourceWithHooks` (by this file's path).
 */
export interface GitSourceTestHooks {
  /** Called for every git process started (tests and the bench count spawns with it). */
  onSpawn?: SpawnHook;
}

/** The SourceProvider plus the primitives Git write-back builds on. */
export interface GitSource extends SourceProvider {
  /** The bare mirror directory of a repo, fetched at least once. */
  mirrorDir(repo: RepoRef): Promise<string>;
  /** Env variables and redactions that authenticate git against this repo (for push). */
  auth(repo: RepoRef): Promise<GitAuth>;
  /** Remove materialized trees beyond the newest `keepTrees`; returns the removed tree ids. */
  gcTrees(): Promise<string[]>;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxFiles: 20_000,
};

/** A revision argument: any rev git accepts that cannot be mistaken for an option or break a line. */
function checkRevision(revision: string, what: string): string {
  const rev = revision.trim();
  if (rev === '' || rev.startsWith('-') || /[\s:]/.test(rev) || hasControlChars(rev) || rev.includes('..')) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `${what} ${JSON.stringify(revision)} is not a usable revision; give a commit sha, branch or tag`,
      { details: { ref: revision } },
    );
  }
  return rev;
}

function checkPath(path: string, repo: string): string {
  const clean = normalizeRepoPath(path);
  if (clean === null) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `path ${JSON.stringify(path)} in ${repo} must be relative to the repo root, without '..' or line breaks`,
      { details: { repo, path } },
    );
  }
  return clean;
}

/** Full shas whose commit and root tree each mirror keeps (the revisions apps sync at). */
const KEPT_ROOTS = 64;

const treeish = (rev: string, path: string) => (path === '' ? `${rev}^{tree}` : `${rev}:${path}`);

/**
 * Git sources on the git CLI: one bare mirror per normalized repo URL under
 * `<dataDir>/git/mirrors`, materialized trees under `<dataDir>/git/trees`, and the SSH wrapper
 * under `<dataDir>/git/ssh`.
 */
export function createGitSource(deps: GitSourceDeps): GitSource {
  return createGitSourceWithHooks(deps, {});
}

/** `createGitSource` with test seams (see `GitSourceTestHooks`). */
export function createGitSourceWithHooks(deps: GitSourceDeps, hooks: GitSourceTestHooks): GitSource {
  const root = join(deps.dataDir, 'git');
  const mirrorsRoot = join(root, 'mirrors');
  const log = deps.log.child({ component: 'git' });
  const credentialsEnv = deps.env ?? process.env;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const subtrees = subtreeCache();
  /** Per mirror, the commit and root tree of the full shas asked last (`commitAndRoot`). */
  const rootsByMirror = new WeakMap<Mirror, LruCache<string, { commit: string; root: string }>>();
  const limits: ReadLimits = { ...DEFAULT_READ_LIMITS, ...deps.limits };
  const trees = new TreeStore(join(root, 'trees'), deps.keepTrees ?? 10, log);
  const mirrors = new Map<string, Mirror>();
  let setup: Promise<string> | undefined;
  let closed = false;

  const prepare = () => {
    setup ??= (async () => {
      await mkdir(mirrorsRoot, { recursive: true });
      return ensureSshWrapper(join(root, 'ssh'));
    })().catch((err: unknown) => {
      setup = undefined;
      throw err;
    });
    return setup;
  };

  function mirrorFor(ref: RepoRef): Mirror {
    if (closed) throw new WheelhouseError('UNAVAILABLE', 'the git source provider is closed');
    const url = parseRepoUrl(ref.url);
    let mirror = mirrors.get(url.normalized);
    if (!mirror) {
      mirror = new Mirror(url, url.fetchUrl, join(mirrorsRoot, mirrorName(ref.url)), {
        root: mirrorsRoot,
        log,
        timeoutMs,
        ...(hooks.onSpawn === undefined ? {} : { onSpawn: hooks.onSpawn }),
      });
      mirrors.set(url.normalized, mirror);
    }
    return mirror;
  }

  async function authFor(ref: RepoRef, mirror: Mirror): Promise<GitAuth> {
    const wrapper = await prepare();
    // The caller's own URL: it may carry other embedded credentials than the one that created the mirror.
    return gitAuth(parseRepoUrl(ref.url), ref.auth, credentialsEnv, wrapper, mirror.repo);
  }

  async function fetch(ref: RepoRef): Promise<FetchResult> {
    const mirror = mirrorFor(ref);
    return mirror.fetch(await authFor(ref, mirror));
  }

  /** The mirror, fetched first if it never was (later calls use what is there, even if the host is down). */
  async function ready(ref: RepoRef): Promise<Mirror> {
    const mirror = mirrorFor(ref);
    if ((await mirror.fetchedAt()) === undefined) await mirror.fetch(await authFor(ref, mirror));
    return mirror;
  }

  /** The commit a revision names, or undefined; an ambiguous short sha is an error listing the candidates. */
  async function commitOf(mirror: Mirror, rev: string): Promise<string | undefined> {
    if (isShortSha(rev)) {
      const [info] = await mirror.batch.info([rev.toLowerCase()]);
      if (info?.status === 'ambiguous') {
        const candidates = await commitsWithPrefix(mirror, rev.toLowerCase());
        if (candidates.length === 1) return candidates[0];
        throw ambiguous(mirror, rev, candidates);
      }
      if (info?.status !== 'found') return undefined;
      if (info.type === 'commit') return info.oid;
      rev = info.oid;
    }
    const [info] = await mirror.batch.info([`${rev}^{commit}`]);
    return info?.status === 'found' ? info.oid : undefined;
  }

  async function commitsWithPrefix(mirror: Mirror, prefix: string): Promise<string[]> {
    const listed = await mirror.git(
      ['rev-parse', `--disambiguate=${prefix}`],
      `listing objects starting with ${prefix}`,
      {
        okExitCodes: [1, 128],
      },
    );
    const oids = listed.stdout.split('\n').filter((l) => /^[0-9a-f]+$/.test(l));
    const infos = await mirror.batch.info(oids);
    return infos.flatMap((i) => (i.status === 'found' && i.type === 'commit' ? [i.oid] : []));
  }

  function ambiguous(mirror: Mirror, prefix: string, commits: string[]): WheelhouseError {
    return new WheelhouseError(
      'REF_NOT_FOUND',
      `short sha '${prefix}' is ambiguous in ${mirror.repo}: it matches commits ${commits.join(', ')}; give more characters of the sha`,
      { details: { repo: mirror.repo, ref: prefix, candidates: commits } },
    );
  }

  async function missingRevision(mirror: Mirror, rev: string): Promise<WheelhouseError> {
    if (isShortSha(rev)) {
      // Throws the ambiguity error when that is why the revision was not found.
      await commitOf(mirror, rev);
    }
    const fetchedAt = await mirror.fetchedAt();
    return refNotFound(
      mirror.repo,
      rev,
      await mirror.refs(),
      `no such commit in the mirror fetched at ${fetchedAt ?? 'never'}; if it was pushed just now fetch again, if the branch was force-pushed it may be gone`,
    );
  }

  async function resolve(ref: RepoRef, name: string): Promise<string> {
    const mirror = await ready(ref);
    const wanted = name.trim();
    if (wanted === '' || wanted.startsWith('-') || hasControlChars(wanted)) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `ref ${JSON.stringify(name)} for ${mirror.repo} is not usable; give a branch, tag, semver range or commit sha`,
        { details: { repo: mirror.repo, ref: name } },
      );
    }
    if (isFullSha(wanted)) {
      const commit = await commitOf(mirror, wanted);
      if (commit === undefined) throw await missingRevision(mirror, wanted);
      return commit;
    }
    const refs = await mirror.refs();
    const exact = exactRef(refs, wanted);
    if (exact) {
      if (exact.commit === null) {
        throw new WheelhouseError(
          'REF_NOT_FOUND',
          `tag '${wanted}' in ${mirror.repo} does not point to a commit; tag a commit instead`,
          { details: { repo: mirror.repo, ref: wanted } },
        );
      }
      return exact.commit;
    }
    if (isShortSha(wanted)) {
      const commit = await commitOf(mirror, wanted);
      if (commit !== undefined) return commit;
    }
    if (isSemverRange(wanted)) {
      const commitTags = [...refs.tags].filter(([, c]) => c !== null).map(([t]) => t);
      const tag = maxSatisfyingTag(commitTags, wanted);
      const commit = tag === undefined ? undefined : refs.tags.get(tag);
      if (commit) {
        log.debug({ repo: mirror.repo, range: wanted, tag }, 'semver range resolved');
        return commit;
      }
      throw refNotFound(mirror.repo, wanted, refs, 'no tag matches this semver range');
    }
    throw refNotFound(mirror.repo, wanted, refs);
  }

  async function treeIds(
    ref: RepoRef,
    revision: string,
    paths: readonly string[],
  ): Promise<Map<string, string | null>> {
    const mirror = await ready(ref);
    const rev = checkRevision(revision, 'revision');
    const clean = paths.map((p) => checkPath(p, mirror.repo));
    const { root } = await commitAndRoot(mirror, rev);
    const ids = await treeIdsUnder(mirror, root, [...new Set(clean)], subtrees);
    const out = new Map<string, string | null>();
    paths.forEach((path, i) => {
      out.set(path, ids.get(clean[i] ?? '') ?? null);
    });
    return out;
  }

  async function treeIdOf(
    mirror: Mirror,
    revision: string,
    path: string,
  ): Promise<{ rev: string; treeId: string; clean: string }> {
    const rev = checkRevision(revision, 'revision');
    const clean = checkPath(path, mirror.repo);
    const { commit, root } = await commitAndRoot(mirror, rev);
    // Through the cached directories (`treeIdsUnder`), not git's `rev:path`: that reads and scans
    // every directory above the path again, for each path (12.6 s of git for 10,000 apps).
    const treeId = clean === '' ? root : (await treeIdsUnder(mirror, root, [clean], subtrees)).get(clean);
    if (!treeId) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `path '${clean}' is not a directory at ${shortSha(commit)} in ${mirror.repo}; check the app's path`,
        { details: { repo: mirror.repo, path: clean, revision: commit } },
      );
    }
    return { rev: commit, treeId, clean };
  }

  /**
   * The commit a revision names and its root tree (one round trip); REF_NOT_FOUND when absent.
   * For a full sha the answer never changes, so the last few are kept: every app's sync at a
   * revision asks it again (a round trip to git per app when 1,000 converge at one revision).
   */
  async function commitAndRoot(mirror: Mirror, rev: string): Promise<{ commit: string; root: string }> {
    const full = isFullSha(rev) ? rev.toLowerCase() : undefined;
    let roots = rootsByMirror.get(mirror);
    const known = full === undefined ? undefined : roots?.get(full);
    if (known) return known;
    const [head, root] = await mirror.batch.info([`${rev}^{commit}`, `${rev}^{tree}`]);
    if (head?.status !== 'found' || root?.status !== 'found') throw await missingRevision(mirror, rev);
    const found = { commit: head.oid, root: root.oid };
    if (full !== undefined) {
      if (!roots) {
        roots = new LruCache(KEPT_ROOTS);
        rootsByMirror.set(mirror, roots);
      }
      roots.set(full, found);
    }
    return found;
  }

  async function readFiles(
    ref: RepoRef,
    revision: string,
    path: string,
    tree?: string,
  ): Promise<SourceFile[]> {
    const mirror = await ready(ref);
    if (tree === undefined) {
      const { rev, treeId, clean } = await treeIdOf(mirror, revision, path);
      return readTreeFiles(mirror, treeId, clean, limits, rev);
    }
    // The caller's tree id (from `treeIds`) spares looking the path up again: a round trip to
    // git for the commit and its root unless kept, and a walk of the cached directories.
    if (!isFullSha(tree)) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `tree id ${JSON.stringify(tree)} of '${path}' in ${mirror.repo} is not a full object id`,
        { details: { repo: mirror.repo, path, tree } },
      );
    }
    return readTreeFiles(
      mirror,
      tree,
      checkPath(path, mirror.repo),
      limits,
      checkRevision(revision, 'revision'),
    );
  }

  async function readFile(ref: RepoRef, revision: string, path: string): Promise<Buffer | undefined> {
    const mirror = await ready(ref);
    const rev = checkRevision(revision, 'revision');
    const clean = checkPath(path, mirror.repo);
    const [head, info] = await mirror.batch.info([`${rev}^{commit}`, treeish(rev, clean)]);
    if (head?.status !== 'found') throw await missingRevision(mirror, rev);
    if (info?.status !== 'found' || info.type !== 'blob') return undefined;
    if (info.size > limits.maxFileBytes) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `'${clean}' at ${shortSha(head.oid)} in ${mirror.repo} is larger than ${limits.maxFileBytes} bytes; keep it smaller`,
        { details: { repo: mirror.repo, path: clean, revision: head.oid } },
      );
    }
    const [blob] = await mirror.batch.contents([info.oid]);
    return blob?.status === 'found' ? blob.content : undefined;
  }

  async function materialize(ref: RepoRef, revision: string, path = ''): Promise<string> {
    const mirror = await ready(ref);
    const { treeId } = await treeIdOf(mirror, revision, path);
    return trees.materialize(mirror, treeId);
  }

  async function commits(mirror: Mirror, range: string[], path: string | undefined, limit: number) {
    const clean = path === undefined ? '' : checkPath(path, mirror.repo);
    const result = await mirror.git(
      [
        'log',
        '-z',
        `--format=${COMMIT_FORMAT}`,
        `--max-count=${limit}`,
        '--end-of-options',
        ...range,
        '--',
        ...(clean ? [clean] : []),
      ],
      `reading history of ${mirror.repo}`,
    );
    return parseCommits(result.stdout);
  }

  async function history(
    ref: RepoRef,
    from: string | undefined,
    to: string,
    path?: string,
    limit = 100,
  ): Promise<CommitInfo[]> {
    const mirror = await ready(ref);
    const toRev = checkRevision(to, 'revision');
    const toCommit = await commitOf(mirror, toRev);
    if (toCommit === undefined) throw await missingRevision(mirror, toRev);
    let range = [toCommit];
    if (from !== undefined) {
      const fromCommit = await commitOf(mirror, checkRevision(from, 'revision'));
      if (fromCommit === undefined) throw await missingRevision(mirror, from);
      range = [`${fromCommit}..${toCommit}`];
    }
    return commits(mirror, range, path, Math.max(1, Math.floor(limit)));
  }

  async function commit(ref: RepoRef, revision: string): Promise<CommitInfo> {
    const mirror = await ready(ref);
    const rev = checkRevision(revision, 'revision');
    const sha = await commitOf(mirror, rev);
    if (sha === undefined) throw await missingRevision(mirror, rev);
    const [info] = await commits(mirror, [sha], undefined, 1);
    if (!info) throw await missingRevision(mirror, rev);
    return info;
  }

  return {
    fetch,
    async fetchRef(ref, name) {
      const mirror = await ready(ref);
      return mirror.fetchRef(await authFor(ref, mirror), name);
    },
    resolve,
    treeIds,
    readFiles,
    readFile,
    materialize,
    log: history,
    commit,
    async verifyCommits(ref, from, to, trust) {
      const mirror = await ready(ref);
      const toRev = checkRevision(to, 'revision');
      const fromRev = from === undefined ? undefined : checkRevision(from, 'revision');
      return verifyCommits(mirror, fromRev, toRev, trust);
    },
    async mirrorDir(ref) {
      return (await ready(ref)).dir;
    },
    async auth(ref) {
      return authFor(ref, mirrorFor(ref));
    },
    gcTrees: () => trees.gc(),
    async close() {
      closed = true;
      await Promise.all([...mirrors.values()].map((m) => m.close()));
      mirrors.clear();
    },
  };
}
