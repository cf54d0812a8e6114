import {
  type AccessPolicy,
  type ApprovalRule,
  type Permission,
  POSTED_EVENTS,
  type SyncPolicy,
  type TargetSpec,
} from '../core/index.js';

/**
 * Every default of wheelhouse.yaml, in one place. The schema leaves fields optional; the builder
 * fills them from here; the docs (docs/configuration.md) list the same values.
 */

/** The target that always exists, even when wheelhouse.yaml declares none. */
/** The control repo's configuration file, at its root. */
export const CONFIG_FILE = 'wheelhouse.yaml';

export const LOCAL_TARGET: Readonly<TargetSpec> = { name: 'local', driver: 'process', options: {} };

export const APP_DEFAULTS = {
  target: LOCAL_TARGET.name,
  environment: 'default',
  intervalMs: 30_000,
  /** Shortest poll interval accepted. */
  minIntervalMs: 1_000,
} as const;

export const SYNC_DEFAULTS: Readonly<SyncPolicy> = {
  auto: true,
  prune: true,
  selfHeal: true,
  allowEmpty: false,
  timeoutMs: 5 * 60_000,
  retries: 3,
};

export const SOURCE_DEFAULTS = { protected: false, verifyCommits: 'tip' } as const;

/** Roles every control repo has; wheelhouse.yaml may add roles and redefine all but `admin`. */
export const BUILTIN_ROLES: Readonly<Record<string, readonly Permission[]>> = {
  none: [],
  viewer: ['read'],
  deployer: ['read', 'sync', 'lock', 'write'],
  approver: ['read', 'approve'],
  admin: ['read', 'sync', 'lock', 'write', 'approve', 'build', 'admin'],
};

export const ACCESS_DEFAULTS: Readonly<Pick<AccessPolicy, 'defaultRole'>> = { defaultRole: 'viewer' };

export const BINDING_DEFAULTS = { apps: ['*'], environments: ['*'] } as const;

export const APPROVAL_DEFAULTS: Readonly<Omit<ApprovalRule, 'commands'> & { commands: readonly string[] }> = {
  environments: ['*'],
  apps: ['*'],
  commands: ['*'],
  required: 1,
  expiresAfterMs: 60 * 60_000,
};

export const ROUTE_DEFAULTS = {
  apps: ['*'],
  environments: ['*'],
  /** A route without `events:` gets every event the notifier posts (one list, in core). */
  events: POSTED_EVENTS,
} as const;

/**
 * Settings of the HTTP server (`ServerOptions`), not of wheelhouse.yaml; docs/security.md lists
 * them. They bound what one caller can make the server hold in memory.
 */
export const SERVER_DEFAULTS = {
  /** Open `logs?follow=1` streams one user may hold at once (the admin too). */
  logStreamsPerUser: 8,
  /** Open `logs?follow=1` streams of all users together. */
  logStreamsTotal: 64,
  /** An event stream (events, logs) whose client left this many bytes unread is dropped. */
  sseMaxBufferedBytes: 1024 * 1024,
  /**
   * An event stream writes at most once per this many milliseconds; what is sent in between goes
   * out together (one socket write per stream, not one per event, when events come in bursts).
   */
  sseFlushMs: 50,
  /**
   * `GET /api/v1/events` batches live events this long, shared by the streams that see the same
   * events: with 200 dashboards open while 1,000 apps sync, 100 ms rather than 50 halved the
   * server's writes (3.3 % of a core above idle, against 4.5 %) and is still quicker than a
   * person notices. The first event after a quiet spell goes out at once.
   */
  sseFanoutFlushMs: 100,
  /** A webhook whose signed timestamp is further than this from the server's clock is refused. */
  webhookMaxAgeSeconds: 300,
} as const;

/** `ci:` servers: where GitHub's and GitLab's APIs are, and the ref a job runs on by default. */
export const CI_DEFAULTS = {
  githubApiUrl: 'https://api.github.com',
  gitlabUrl: 'https://gitlab.com',
  ref: 'main',
} as const;
/** A `windows:` entry without `timeZone`, `apps`, `environments`, `targets`: UTC, every app. */
export const WINDOW_DEFAULTS = { timeZone: 'UTC' } as const;
/** `auth.github` defaults: github.com and its API. */
export const GITHUB_AUTH_DEFAULTS = {
  url: 'https://github.com',
  apiUrl: 'https://api.github.com',
} as const;
/** `auth.oidc` defaults: the person is named by `email`, groups come from `groups`. */
export const OIDC_DEFAULTS = {
  scopes: ['openid', 'email', 'profile', 'groups'],
  personClaim: 'email',
  groupsClaim: 'groups',
} as const;

/** API roots of the forges' hosted services (`previews.<forge>.apiUrl`); Gitea has none. */
export const FORGE_API_DEFAULTS = {
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com/api/v4',
  bitbucket: 'https://api.bitbucket.org/2.0',
} as const;

/** `images:` policies: how often a registry is asked, the shortest interval, the bot that commits. */
export const IMAGE_DEFAULTS = {
  intervalMs: 5 * 60_000,
  minIntervalMs: 10_000,
  /** Docker Hub's registry, for images without a registry host (`nginx`, `library/nginx`). */
  dockerHub: 'https://registry-1.docker.io',
} as const;
