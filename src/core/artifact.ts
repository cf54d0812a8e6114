/**
 * A Git ref resolved to something immutable. The git layer hands these over; the reconciler
 * never runs git itself.
 */
export interface Artifact {
  /** Sanitized repo URL (no credentials). */
  repo: string;
  /** Full commit sha. */
  revision: string;
  /** The app's path inside the repo. */
  path: string;
  /** Git tree id of `path` at `revision`: identical trees share a digest. */
  digest: string;
}

export interface SourceFile {
  /** Path relative to the repo root. */
  path: string;
  content: Buffer;
  /** The file's full size in bytes when `content` holds only its head (a reader that stops at a limit). */
  size?: number;
}

export interface CommitInfo {
  sha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  /** ISO-8601 */
  authoredAt: string;
  /** Trailers such as `Wheelhouse-Actor`. */
  trailers?: Record<string, string>;
}
