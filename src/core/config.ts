import type { ImagePolicy } from './images.js';
/**
 * The validated shape of a control repo's `wheelhouse.yaml` (schemas, defaults and error
 * messages live in `src/config`). Durations are milliseconds here.
 */

import type { CiServerSpec } from './ci.js';
import type { ValidationIssue } from './errors.js';
import type { PreviewPosting } from './preview.js';

export interface RepoAuth {
  /** Names of environment variables, never values. */
  usernameEnv?: string;
  passwordEnv?: string;
  /** SSH: an env var naming a private key file, or a file path. */
  sshKeyFile?: string;
  sshKeyFileEnv?: string;
  knownHostsFile?: string;
}

export interface SourceSpec {
  repo: string;
  /** Branch, tag, semver range over tags, or commit sha. */
  ref: string;
  auth?: RepoAuth;
  /** Write-back pushes to a new branch instead of the ref (the branch is protected). */
  protected: boolean;
  /** Only revisions signed by a trusted key are applied. */
  verify?: VerifySpec;
}

/** `source.verify:` which commit signatures a source's revisions must carry. */
export interface VerifySpec {
  /** Which kind of signature counts: GPG (OpenPGP), SSH, or either. */
  mode: 'gpg' | 'ssh' | 'any';
  /** Armored GPG public key files: repo-relative in the control repo, or absolute paths on disk. */
  gpgKeys: string[];
  /** An SSH allowed-signers file (`ssh-keygen -Y` format), located like `gpgKeys`. */
  allowedSigners?: string;
  /** `tip`: the resolved commit; `every`: each commit since the last verified one as well. */
  commits: 'tip' | 'every';
}

export interface SyncPolicy {
  auto: boolean;
  prune: boolean;
  selfHeal: boolean;
  allowEmpty: boolean;
  /** Per-sync bound on waiting for health, ms. */
  timeoutMs: number;
  /** Retries of a failed sync, with exponential backoff. */
  retries: number;
}

/**
 * Fields of a platform object that something else owns (an autoscaler's replicas): Wheelhouse
 * neither applies nor compares them. Matches objects by group, kind, name and namespace (each
 * optional); fields are JSON pointers into the object (`/spec/replicas`).
 */
export interface IgnoreDifferencesRule {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
}

/** `kustomize:` of an app entry: how `kustomize build` may reach beyond the app's path. */
export interface KustomizeSpec {
  /** Repo directory the overlay's bases live under (default: the repo root). */
  root?: string;
  /** Allow `resources:` that name a remote Git or HTTP base (needs network while rendering). */
  allowRemoteBases?: boolean;
}

/** `helm:` of an app entry: the chart `helm template` renders. */
export interface HelmSpec {
  /** A chart name in `repository`; absent: the chart is the app's path (a `Chart.yaml` there). */
  chart?: string;
  /** `https://…` chart repository or `oci://…` registry the chart (and its dependencies) come from. */
  repository?: string;
  /** Chart version or semver range (`1.2.3`, `^1.2.0`); required with `repository`. */
  version?: string;
  /** Default: the app's name. */
  releaseName?: string;
  /** Default: the target's namespace, else the app's name. */
  namespace?: string;
  /** Repo-relative values files, applied in order. */
  valueFiles?: string[];
  /** Inline values, applied after the files. */
  values?: Record<string, unknown>;
  /** Fetch chart dependencies that are not vendored under `charts/` (needs network while rendering). */
  fetchDependencies?: boolean;
}

export interface AppSpec {
  name: string;
  path: string;
  target: string;
  environment: string;
  intervalMs: number;
  sync: SyncPolicy;
  source: SourceSpec;
  /** True when the source is the control repo itself (the default). */
  sourceIsControlRepo: boolean;
  /** For drivers that take platform manifests (kubernetes): fields other controllers own. */
  ignoreDifferences?: IgnoreDifferencesRule[];
  /** Rendered with `kustomize build` (also when the path just holds a kustomization.yaml). */
  kustomize?: KustomizeSpec;
  /** Rendered with `helm template`. */
  helm?: HelmSpec;
  /** Compose settings: the profiles whose services run. */
  compose?: { profiles: string[] };
  /** The team (people group) that owns the app, for delivery figures per team. */
  team?: string;
  /**
   * Apps (on any target) that must be Synced and Healthy at this app's revision, or a later one,
   * before an automatic sync of this app starts (`dependsOn:`). Absent: none.
   */
  dependsOn?: string[];
  /** Image update policies (`images:`): newer versions are committed by the image-automation bot. */
  images?: ImagePolicy[];
  /**
   * `sops.keys`: names of environment variables of the Wheelhouse server, each holding age
   * identities; when given, this app's SOPS files are decrypted with these keys only (not the
   * server-wide SOPS_AGE_KEY_FILE / SOPS_AGE_KEY). Names only: key material never goes into Git.
   */
  sops?: {
    keys?: string[];
    /** Public age recipients and PGP fingerprints `wheelhouse secret encrypt/edit` encrypt for. */
    recipients?: string[];
  };
  /**
   * Why the app's entry cannot be used (e.g. a source URL git would refuse), located in
   * wheelhouse.yaml with the field named by app (`apps.web.source.repo`). The app is shown with
   * this problem and not reconciled; every other app is managed as usual.
   */
  problem?: ValidationIssue;
}

/**
 * `windows:` of wheelhouse.yaml: when automatic syncs may run. A window opens at each start of
 * its cron `schedule` (on the wall clock of `timeZone`) and stays open `durationMs`. It applies to
 * the apps its `apps`, `environments` and `targets` select (all given lists must match; none
 * given: every app). Inside an open `deny` window automatic syncs wait and a person's sync is
 * refused unless forced (admin); an app with `allow` windows syncs by itself only inside one.
 */
export interface SyncWindow {
  name: string;
  kind: 'allow' | 'deny';
  schedule: string;
  durationMs: number;
  timeZone: string;
  apps: string[];
  environments: string[];
  targets: string[];
}

export interface TargetSpec {
  name: string;
  driver: string;
  /** Driver-specific options, validated by the driver. */
  options: Record<string, unknown>;
}

export interface Person {
  name: string;
  email: string;
  /** Chat identities: `web:alice`, `slack:U123`, `irc:alice`. */
  ids: string[];
}

export type Permission = 'read' | 'sync' | 'lock' | 'write' | 'approve' | 'build' | 'admin';

export interface AccessBinding {
  subjects: string[];
  role: string;
  apps: string[];
  environments: string[];
  /** CI jobs (`<ci>/<job>` or patterns) the binding's `build` covers; absent: every job. */
  jobs?: string[];
}

export interface AccessPolicy {
  roles: Record<string, Permission[]>;
  bindings: AccessBinding[];
  defaultRole: string;
}

export interface ApprovalRule {
  environments: string[];
  apps: string[];
  commands: string[];
  required: number;
  expiresAfterMs: number;
}

/**
 * The one list of notification events. `ROUTE_EVENTS`: the names a route in wheelhouse.yaml may ask
 * for (`*` means all). `POSTED_EVENTS`: what a route without `events:` gets (a route that gets
 * `health.degraded` also gets the `health.recovered` that ends its thread); the others are posted
 * only to routes that name them.
 */
export const ROUTE_EVENTS = [
  'sync.started',
  'sync.succeeded',
  'sync.failed',
  'health.degraded',
  'health.recovered',
  'drift.detected',
  'approval.requested',
  'approval.decided',
  'source.failed',
  'config.invalid',
  'ci.finished',
  'preview.ready',
  'image.updated',
] as const;

export const POSTED_EVENTS = [
  'sync.succeeded',
  'sync.failed',
  'health.degraded',
  'drift.detected',
  'approval.requested',
  'config.invalid',
  'ci.finished',
  'image.updated',
] as const satisfies readonly (typeof ROUTE_EVENTS)[number][];

export type NotificationEvent = (typeof ROUTE_EVENTS)[number];

export interface NotificationRoute {
  platform: string;
  channel: string;
  apps: string[];
  environments: string[];
  events: string[];
  /** `weekly`: a digest of the delivery figures of the route's apps every Monday. */
  digest?: 'weekly';
}

export interface WebhookConfig {
  /** Env var that holds the provider's secret. */
  secretEnv: string;
}

export interface ControlConfig {
  targets: Record<string, TargetSpec>;
  apps: AppSpec[];
  people: Person[];
  access: AccessPolicy;
  approvals: ApprovalRule[];
  notifications: { routes: NotificationRoute[] };
  webhooks: Record<string, WebhookConfig>;
  /** Per-platform chat settings; each adapter validates its own section. */
  chat: Record<string, Record<string, unknown>>;
  /** Extra regular expressions whose matches are redacted from replies, logs and the API. */
  secretPatterns: string[];
  /** CI servers by name (`ci:`); absent when none are declared. */
  ci?: Record<string, CiServerSpec>;
  /** Sync windows (`windows:`); empty: syncs may run at any time. */
  windows?: SyncWindow[];
  /** Single sign-on; absent when wheelhouse.yaml has no `auth` section. */
  auth?: AuthSettings;
  /** Posting pull request previews on the forge (`previews:`); absent: previews are only stored. */
  previews?: PreviewPosting;
}

export interface AuthSettings {
  oidc?: OidcSettings;
  github?: GithubAuthSettings;
}

/** `auth.github`: a GitHub (or GitHub Enterprise Server) OAuth app, with its defaults filled in. */
export interface GithubAuthSettings {
  clientId: string;
  /** Env var holding the OAuth app's client secret. */
  clientSecretEnv: string;
  /** Where people sign in (`https://github.com`, or a GitHub Enterprise Server). */
  url: string;
  /** Its REST API (`https://api.github.com`, or `https://<host>/api/v3`). */
  apiUrl: string;
  /** Only members of these organisations may sign in; absent: anyone GitHub knows. */
  orgs?: string[];
  /** Where GitHub sends the browser back; default this server's `/auth/github/callback`. */
  redirectUrl?: string;
}

/** `auth.oidc` with its defaults filled in. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Env var holding the client secret; absent for a public client (PKCE only). */
  clientSecretEnv?: string;
  scopes: string[];
  /** The ID-token claim that names the person (`email` by default), matched to `people` by email. */
  personClaim: string;
  /** The ID-token claim listing the person's groups (`groups` by default). */
  groupsClaim: string;
  /** Where the provider sends the browser back; default this server's `/auth/oidc/callback`. */
  redirectUrl?: string;
}
