import type { CommitInfo, SourceFile } from '../artifact.js';
import type { RepoAuth } from '../config.js';

export interface RepoRef {
  url: string;
  auth?: RepoAuth;
}

/** Public key material a signature check trusts (file contents, not paths). */
export interface SignatureTrust {
  mode: 'gpg' | 'ssh' | 'any';
  /** Armored GPG public keys. */
  gpgKeys: string[];
  /** Lines of an SSH allowed-signers file. */
  allowedSigners: string;
}

/** The outcome of checking the signatures of a range of commits. */
export type SignatureCheck =
  | { ok: true; commit: string; signer: string }
  /** `commit`: the first commit that failed; `reason`: what is wrong with its signature. */
  | { ok: false; commit: string; reason: string };

export interface FetchResult {
  /** Sanitized URL. */
  repo: string;
  fetchedAt: string;
}

/**
 * The Git port: one bare mirror per repo URL, shared fetches, cheap tree ids, immutable
 * materialized trees. Implemented by `src/source/git`.
 */
export interface SourceProvider {
  /** Fetch the mirror; concurrent calls for one URL share a single fetch. */
  fetch(repo: RepoRef): Promise<FetchResult>;
  /**
   * Fetch one ref outside branches and tags (a pull request's `refs/pull/7/head`) into the mirror
   * and return the commit it points at.
   */
  fetchRef?(repo: RepoRef, ref: string): Promise<string>;
  /** Branch, tag, semver range over tags, full or short sha -> full commit sha. */
  resolve(repo: RepoRef, ref: string): Promise<string>;
  /** Tree ids of many paths at one revision in one git process; null where the path is absent. */
  treeIds(repo: RepoRef, revision: string, paths: readonly string[]): Promise<Map<string, string | null>>;
  /**
   * Every file under `path` at `revision` (recursive), read from the object store. `tree`, when the
   * caller has it from `treeIds` at that revision, is the path's tree id: the path is not looked
   * up again.
   */
  readFiles(repo: RepoRef, revision: string, path: string, tree?: string): Promise<SourceFile[]>;
  /** One file at `revision`; undefined when there is no file at that path. */
  readFile(repo: RepoRef, revision: string, path: string): Promise<Buffer | undefined>;
  /** A read-only directory holding the tree of `path` at `revision`, shared by tree id. */
  materialize(repo: RepoRef, revision: string, path?: string): Promise<string>;
  /** Commits that touched `path` in (from, to], newest first. */
  log(
    repo: RepoRef,
    from: string | undefined,
    to: string,
    path?: string,
    limit?: number,
  ): Promise<CommitInfo[]>;
  commit(repo: RepoRef, revision: string): Promise<CommitInfo>;
  /**
   * Checks the signature of `to`, and with `from` of every commit in (from, to]: each must carry a
   * good signature of the kind `trust.mode` names, by a key `trust` holds.
   */
  verifyCommits(
    repo: RepoRef,
    from: string | undefined,
    to: string,
    trust: SignatureTrust,
  ): Promise<SignatureCheck>;
  close(): Promise<void>;
}
