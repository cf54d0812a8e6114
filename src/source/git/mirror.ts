import { randomUUID } from 'node:crypto';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FetchResult, isWheelhouseError, type Logger, WheelhouseError } from '../../core/index.js';
import type { GitAuth } from './auth.js';
import { CatFileBatch } from './cat-file-batch.js';
import { FOR_EACH_REF_FORMAT, parseRefs, type RefList } from './refs.js';
import { type GitResult, type RunGitOptions, runGit, type SpawnHook } from './run-git.js';
import type { ParsedRepoUrl } from './url.js';

export interface MirrorDeps {
  /** `<dataDir>/git/mirrors` */
  root: string;
  log: Logger;
  timeoutMs: number;
  baseEnv?: Readonly<Record<string, string | undefined>>;
  onSpawn?: SpawnHook;
}

interface MirrorMeta {
  url: string;
  normalized: string;
  fetchedAt: string;
}

/** Transports git may use for a fetch; `ext::` and friends stay off. */
const ALLOWED_PROTOCOLS = 'file:git:http:https:ssh';

/** Settings of every mirror: no background gc outliving our timeouts, no reflogs to grow. */
const MIRROR_CONFIG = `[core]
\tlogAllRefUpdates = false
[gc]
\tautoDetach = false
[fetch]
\twriteCommitGraph = false
`;

/**
 * One bare mirror of one repository (by normalized URL) under `<root>/<name>`. Holds the shared
 * in-flight fetch, the branch/tag list of the last fetch, and the long-lived object reader.
 */
export class Mirror {
  readonly batch: CatFileBatch;
  private initializing: Promise<void> | undefined;
  private fetching: Promise<FetchResult> | undefined;
  private refsCache: Promise<RefList> | undefined;
  private meta: MirrorMeta | undefined;

  constructor(
    readonly url: ParsedRepoUrl,
    /** Sanitized URL for messages and logs. */
    readonly repo: string,
    readonly dir: string,
    private readonly deps: MirrorDeps,
  ) {
    this.batch = new CatFileBatch({
      gitDir: dir,
      repo,
      timeoutMs: deps.timeoutMs,
      ...(deps.baseEnv === undefined ? {} : { baseEnv: deps.baseEnv }),
      ...(deps.onSpawn === undefined ? {} : { onSpawn: deps.onSpawn }),
    });
  }

  /** Run git against this mirror (`--git-dir` set, timeout and spawn hook applied). */
  git(args: readonly string[], what: string, options: RunGitOptions = {}): Promise<GitResult> {
    return runGit([`--git-dir=${this.dir}`, ...args], {
      timeoutMs: this.deps.timeoutMs,
      ...(this.deps.baseEnv === undefined ? {} : { baseEnv: this.deps.baseEnv }),
      ...(this.deps.onSpawn === undefined ? {} : { onSpawn: this.deps.onSpawn }),
      what,
      repo: this.repo,
      ...options,
    });
  }

  /** When the mirror was last fetched successfully (from its marker file), if ever. */
  async fetchedAt(): Promise<string | undefined> {
    if (this.meta) return this.meta.fetchedAt;
    try {
      const meta = JSON.parse(await readFile(join(this.dir, 'wheelhouse.json'), 'utf8')) as MirrorMeta;
      this.meta = meta;
      return meta.fetchedAt;
    } catch {
      return undefined;
    }
  }

  /** Fetch every branch and tag (pruning deleted ones); concurrent callers share one git process. */
  fetch(auth: GitAuth): Promise<FetchResult> {
    if (this.fetching) return this.fetching;
    const run = this.doFetch(auth).finally(() => {
      this.fetching = undefined;
    });
    this.fetching = run;
    return run;
  }

  /**
   * Fetch one ref the branch/tag refspecs leave out (a pull request head; a branch for Bitbucket) into
   * `refs/wheelhouse/fetched/<ref>`; returns its commit. Fork heads live in the base repo under
   * these refs, so no fork URL (and none of its credentials) is ever used.
   */
  async fetchRef(auth: GitAuth, ref: string): Promise<string> {
    if (!isPreviewRef(ref)) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `cannot fetch ${ref} from ${this.repo}: only pull/merge request heads (refs/pull/N/head, refs/merge-requests/N/head) and branches (refs/heads/NAME, for forges without such refs) are fetched for previews`,
      );
    }
    await this.ensureInit();
    const local = `refs/wheelhouse/fetched/${ref.slice('refs/'.length)}`;
    await this.git(
      [
        'fetch',
        '--no-tags',
        '--force',
        '--no-write-fetch-head',
        '--no-recurse-submodules',
        '--end-of-options',
        this.url.fetchUrl,
        `+${ref}:${local}`,
      ],
      `fetch of ${ref} from ${this.repo}`,
      { env: { ...auth.env, GIT_ALLOW_PROTOCOL: ALLOWED_PROTOCOLS }, secrets: auth.secrets },
    );
    this.batch.renew();
    const { stdout } = await this.git(
      ['rev-parse', '--verify', `${local}^{commit}`],
      `reading ${ref} of ${this.repo}`,
    );
    return stdout.trim();
  }

  /** Branches and tags as of the last fetch (cached until the next one). */
  refs(): Promise<RefList> {
    if (!this.refsCache) {
      const loading = this.git(
        ['for-each-ref', `--format=${FOR_EACH_REF_FORMAT}`, 'refs/heads', 'refs/tags'],
        `listing refs of ${this.repo}`,
      ).then((r) => parseRefs(r.stdout));
      this.refsCache = loading;
      loading.catch(() => {
        if (this.refsCache === loading) this.refsCache = undefined;
      });
    }
    return this.refsCache;
  }

  close(): Promise<void> {
    return this.batch.close();
  }

  private async doFetch(auth: GitAuth): Promise<FetchResult> {
    await this.ensureInit();
    const started = Date.now();
    const previous = await this.fetchedAt();
    try {
      await this.git(
        [
          'fetch',
          '--prune',
          '--no-tags',
          '--force',
          '--no-write-fetch-head',
          '--no-recurse-submodules',
          '--end-of-options',
          this.url.fetchUrl,
          '+refs/heads/*:refs/heads/*',
          '+refs/tags/*:refs/tags/*',
        ],
        `fetch of ${this.repo}`,
        { env: { ...auth.env, GIT_ALLOW_PROTOCOL: ALLOWED_PROTOCOLS }, secrets: auth.secrets },
      );
    } catch (err) {
      if (!isWheelhouseError(err)) throw err;
      const state = previous
        ? `the mirror keeps the state fetched at ${previous}, which stays in use`
        : 'the repo has never been fetched, so nothing from it can be used yet';
      const wrapped = new WheelhouseError(err.code, `${err.message}; ${state}`, {
        cause: err,
        details: { ...err.details, repo: this.repo, ...(previous ? { lastFetchedAt: previous } : {}) },
      });
      this.deps.log.warn({ repo: this.repo, code: err.code, err: wrapped.message }, 'git fetch failed');
      throw wrapped;
    }
    const fetchedAt = new Date().toISOString();
    this.meta = { url: this.repo, normalized: this.url.normalized, fetchedAt };
    await writeFile(join(this.dir, 'wheelhouse.json'), `${JSON.stringify(this.meta, null, 2)}\n`);
    this.refsCache = undefined;
    this.batch.renew();
    this.deps.log.debug({ repo: this.repo, ms: Date.now() - started }, 'git fetch done');
    return { repo: this.repo, fetchedAt };
  }

  private ensureInit(): Promise<void> {
    this.initializing ??= this.init().catch((err: unknown) => {
      this.initializing = undefined;
      throw err;
    });
    return this.initializing;
  }

  /** Create the bare repository in a temp dir and rename it into place, so a crash leaves no half mirror. */
  private async init(): Promise<void> {
    if (await readFile(join(this.dir, 'HEAD'), 'utf8').catch(() => undefined)) return;
    const tmp = `${this.dir}.tmp-${randomUUID().slice(0, 8)}`;
    try {
      await runGit(['init', '--bare', '--quiet', tmp], {
        timeoutMs: this.deps.timeoutMs,
        what: `creating the mirror of ${this.repo}`,
        repo: this.repo,
        ...(this.deps.baseEnv === undefined ? {} : { baseEnv: this.deps.baseEnv }),
        ...(this.deps.onSpawn === undefined ? {} : { onSpawn: this.deps.onSpawn }),
      });
      await appendFile(join(tmp, 'config'), MIRROR_CONFIG);
      await rename(tmp, this.dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      // Another process may have created it meanwhile; that one is as good as ours.
      if (await readFile(join(this.dir, 'HEAD'), 'utf8').catch(() => undefined)) return;
      throw err;
    }
  }
}

/** Refs a preview may fetch: pull/merge request heads, and plain branch names (no `..`, `//`, `-` start). */
function isPreviewRef(ref: string): boolean {
  if (/^refs\/(pull|merge-requests)\/\d+\/head$/.test(ref)) return true;
  const branch = /^refs\/heads\/([A-Za-z0-9._/-]+)$/.exec(ref)?.[1];
  return (
    branch !== undefined &&
    !branch.startsWith('-') &&
    !branch.startsWith('/') &&
    !branch.endsWith('/') &&
    !branch.endsWith('.lock') &&
    !branch.includes('..') &&
    !branch.includes('//')
  );
}
