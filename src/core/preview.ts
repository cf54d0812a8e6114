import type { ValidationIssue } from './errors.js';
import type { ResourceChange } from './sync.js';

/** Which pull/merge request a preview is for: the repo it targets and the head to render. */
export interface PreviewRequest {
  /** URL of the repository the request targets (a followed repo: the control repo or an app's). */
  repo: string;
  /** The ref holding the request's head in that repo: `refs/pull/7/head`, `refs/merge-requests/7/head`. */
  ref: string;
  /** Head commit the forge announced; when set, the fetched ref must point at it. */
  revision?: string;
}

/** One app the pull request touches. */
export interface PreviewApp {
  app: string;
  /** `changed`: renders and differs from what runs; `failed`: the head does not render. */
  outcome: 'changed' | 'unchanged' | 'failed';
  /** Revision of what runs now (the last good render), if any. */
  base?: string;
  /** Changes against what runs now, secret values masked; empty when the render failed. */
  changes: ResourceChange[];
  /** Unified text of `changes` (masked). */
  text: string;
  /** Why the head does not render, with file:line of each problem. */
  issues: ValidationIssue[];
  /** Resources the target would refuse (an admission policy, validation), from its dry run. */
  refused?: { key: string; message: string }[];
}

/** What a pull request's head would do: one section per app it touches. */
export interface PreviewReport {
  repo: string;
  ref: string;
  /** The head commit rendered. */
  revision: string;
  apps: PreviewApp[];
  /** True when any app fails to render at the head, or the target would refuse a resource. */
  failed: boolean;
}

/** A stored preview: the newest report of one pull request, replaced on each push. */
export interface PreviewRecord {
  /** `<forge>:<owner/name>#<number>`, e.g. `github:acme/deploy#7`. */
  id: string;
  /** Web address of the pull request, when the forge sent one. */
  url?: string;
  title?: string;
  report: PreviewReport;
  updatedAt: string;
}

/** Forges Wheelhouse posts previews on (docs/previews.md). */
export const PREVIEW_FORGES = ['github', 'gitlab', 'gitea', 'bitbucket'] as const;
export type PreviewForge = (typeof PREVIEW_FORGES)[number];

/** One forge's REST API and the env var holding a token that may comment and set statuses. */
export interface ForgeAccess {
  /** API root: `https://api.github.com`, `https://gitlab.example.com/api/v4`, `https://gitea.example.com/api/v1`, `https://api.bitbucket.org/2.0`. */
  apiUrl: string;
  tokenEnv: string;
}

/** `previews:` in wheelhouse.yaml: where previews are posted. */
export interface PreviewPosting {
  /** The dashboard's public address; comments and statuses link to its preview page. */
  dashboardUrl?: string;
  forges: Partial<Record<PreviewForge, ForgeAccess>>;
}
