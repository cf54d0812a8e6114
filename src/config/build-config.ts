import type {
  AccessPolicy,
  ApprovalRule,
  AppSpec,
  ControlConfig,
  IgnoreDifferencesRule,
  NotificationRoute,
  Permission,
  RepoAuth,
  SourceSpec,
  SyncWindow,
  TargetSpec,
  WebhookConfig,
} from '../core/index.js';
import type { AppProblem } from './app-sources.js';
import { buildAuthSettings } from './build-auth.js';
import { buildCi } from './build-ci.js';
import { buildImagePolicy } from './build-images.js';
import { buildPreviews } from './build-previews.js';
import {
  ACCESS_DEFAULTS,
  APP_DEFAULTS,
  APPROVAL_DEFAULTS,
  BINDING_DEFAULTS,
  BUILTIN_ROLES,
  LOCAL_TARGET,
  ROUTE_DEFAULTS,
  SOURCE_DEFAULTS,
  SYNC_DEFAULTS,
  WINDOW_DEFAULTS,
} from './defaults.js';
import type { AppInput } from './schema/apps.js';
import type { ControlInput } from './schema/control.js';
import type { WindowInput } from './schema/windows.js';

export interface ControlRepo {
  /** URL (or path) of the control repo, used as every app's default source. */
  url: string;
  /** The ref the engine follows in the control repo. */
  ref: string;
}

/** Validated input + defaults -> the ControlConfig every layer reads. */
export function buildConfig(
  input: ControlInput,
  controlRepo: ControlRepo,
  appProblems: readonly AppProblem[] = [],
): ControlConfig {
  const targets: Record<string, TargetSpec> = { [LOCAL_TARGET.name]: { ...LOCAL_TARGET, options: {} } };
  for (const [name, { driver, ...options }] of Object.entries(input.targets ?? {})) {
    targets[name] = { name, driver, options };
  }

  const roles: Record<string, Permission[]> = {};
  for (const [name, permissions] of Object.entries(BUILTIN_ROLES)) roles[name] = [...permissions];
  for (const [name, permissions] of Object.entries(input.access?.roles ?? {}))
    roles[name] = [...new Set(permissions)];
  const access: AccessPolicy = {
    roles,
    bindings: (input.access?.bindings ?? []).map((b) => ({
      subjects: b.subjects,
      role: b.role,
      apps: b.apps ?? [...BINDING_DEFAULTS.apps],
      environments: b.environments ?? [...BINDING_DEFAULTS.environments],
      ...(b.jobs ? { jobs: b.jobs } : {}),
    })),
    defaultRole: input.access?.defaultRole ?? ACCESS_DEFAULTS.defaultRole,
  };

  const approvals: ApprovalRule[] = (input.approvals ?? []).map((rule) => ({
    environments: rule.environments ?? [...APPROVAL_DEFAULTS.environments],
    apps: rule.apps ?? [...APPROVAL_DEFAULTS.apps],
    commands: rule.commands ?? [...APPROVAL_DEFAULTS.commands],
    required: rule.required ?? APPROVAL_DEFAULTS.required,
    expiresAfterMs: rule.expiresAfter ?? APPROVAL_DEFAULTS.expiresAfterMs,
  }));

  const routes: NotificationRoute[] = (input.notifications?.routes ?? []).map((route) => ({
    platform: route.platform,
    channel: route.channel,
    apps: route.apps ?? [...ROUTE_DEFAULTS.apps],
    environments: route.environments ?? [...ROUTE_DEFAULTS.environments],
    events: route.events ?? [...ROUTE_DEFAULTS.events],
    ...(route.digest ? { digest: route.digest } : {}),
  }));

  const webhooks: Record<string, WebhookConfig> = {};
  for (const [provider, hook] of Object.entries(input.webhooks ?? {})) {
    if (hook && typeof hook === 'object' && 'secretEnv' in hook && typeof hook.secretEnv === 'string') {
      webhooks[provider] = { secretEnv: hook.secretEnv };
    }
  }
  const chat: Record<string, Record<string, unknown>> = {};
  for (const [platform, section] of Object.entries(input.chat ?? {})) {
    if (section && typeof section === 'object' && !Array.isArray(section)) chat[platform] = { ...section };
  }

  const auth = buildAuthSettings(input.auth);
  return {
    targets,
    apps: (input.apps ?? []).map((app, index) => withProblem(buildApp(app, controlRepo), index, appProblems)),
    people: (input.people ?? []).map((p) => ({ name: p.name, email: p.email, ids: p.ids ?? [] })),
    access,
    approvals,
    notifications: { routes },
    webhooks,
    chat,
    secretPatterns: input.secretPatterns ?? [],
    ...(input.ci ? { ci: buildCi(input.ci) } : {}),
    ...(input.windows?.length ? { windows: input.windows.map(buildWindow) } : {}),
    ...(auth ? { auth } : {}),
    ...(input.previews ? { previews: buildPreviews(input.previews) } : {}),
  };
}

/** The app with the problem of its entry, if it has one, its field named by app (`apps.web.source.repo`). */
export function withProblem(app: AppSpec, index: number, problems: readonly AppProblem[]): AppSpec {
  const problem = problems.find((p) => p.index === index);
  if (!problem) return app;
  const field = problem.issue.path.replace(/^apps\[\d+\]\./, '');
  return { ...app, problem: { ...problem.issue, path: `apps.${app.name}.${field}` } };
}

export function buildApp(app: AppInput, controlRepo: ControlRepo): AppSpec {
  const sync = app.sync;
  const source = app.source;
  const ownRepo = source?.repo !== undefined;
  const ref = source?.ref ?? controlRepo.ref;
  const spec: SourceSpec = {
    repo: source?.repo ?? controlRepo.url,
    ref,
    protected: source?.protected ?? SOURCE_DEFAULTS.protected,
  };
  const auth = buildAuth(source?.auth);
  if (auth) spec.auth = auth;
  if (source?.verify) {
    const { mode, gpgKeys, allowedSigners, commits } = source.verify;
    spec.verify = { mode, gpgKeys: gpgKeys ?? [], commits: commits ?? SOURCE_DEFAULTS.verifyCommits };
    if (allowedSigners !== undefined) spec.verify.allowedSigners = allowedSigners;
  }
  const built: AppSpec = {
    name: app.name,
    path: app.path,
    target: app.target ?? APP_DEFAULTS.target,
    environment: app.environment ?? APP_DEFAULTS.environment,
    intervalMs: app.interval ?? APP_DEFAULTS.intervalMs,
    sync: {
      auto: sync?.auto ?? SYNC_DEFAULTS.auto,
      prune: sync?.prune ?? SYNC_DEFAULTS.prune,
      selfHeal: sync?.selfHeal ?? SYNC_DEFAULTS.selfHeal,
      allowEmpty: sync?.allowEmpty ?? SYNC_DEFAULTS.allowEmpty,
      timeoutMs: sync?.timeout ?? SYNC_DEFAULTS.timeoutMs,
      retries: sync?.retries ?? SYNC_DEFAULTS.retries,
    },
    source: spec,
    sourceIsControlRepo: !ownRepo && ref === controlRepo.ref,
  };
  if (app.ignoreDifferences) built.ignoreDifferences = app.ignoreDifferences.map(ignoreRule);
  if (app.kustomize) built.kustomize = definedFields(app.kustomize);
  if (app.helm) built.helm = definedFields(app.helm);
  if (app.compose) built.compose = { profiles: app.compose.profiles };
  if (app.team) built.team = app.team;
  if (app.dependsOn?.length) built.dependsOn = [...new Set(app.dependsOn)];
  if (app.images?.length) built.images = app.images.map(buildImagePolicy);
  if (app.sops?.keys || app.sops?.recipients) {
    built.sops = {};
    if (app.sops.keys) built.sops.keys = [...new Set(app.sops.keys)];
    if (app.sops.recipients) built.sops.recipients = [...new Set(app.sops.recipients)];
  }
  return built;
}

/** Drops absent optional fields (exactOptionalPropertyTypes) of a `kustomize:`/`helm:` entry. */
function definedFields<T extends object>(entry: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/** Drops absent optional fields (exactOptionalPropertyTypes). */
function ignoreRule(rule: NonNullable<AppInput['ignoreDifferences']>[number]): IgnoreDifferencesRule {
  const out: IgnoreDifferencesRule = { jsonPointers: rule.jsonPointers };
  for (const field of ['group', 'kind', 'name', 'namespace'] as const) {
    const value = rule[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function buildAuth(auth: NonNullable<AppInput['source']>['auth']): RepoAuth | undefined {
  if (!auth) return undefined;
  const out: RepoAuth = {};
  if (auth.usernameEnv !== undefined) out.usernameEnv = auth.usernameEnv;
  if (auth.passwordEnv !== undefined) out.passwordEnv = auth.passwordEnv;
  if (auth.sshKeyFile !== undefined) out.sshKeyFile = auth.sshKeyFile;
  if (auth.sshKeyFileEnv !== undefined) out.sshKeyFileEnv = auth.sshKeyFileEnv;
  if (auth.knownHostsFile !== undefined) out.knownHostsFile = auth.knownHostsFile;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A window named `windows[N]` unless it has a name (replies and the audit name it). */
function buildWindow(window: WindowInput, index: number): SyncWindow {
  return {
    name: window.name ?? `windows[${index}]`,
    kind: window.kind,
    schedule: window.schedule,
    durationMs: window.duration,
    timeZone: window.timeZone ?? WINDOW_DEFAULTS.timeZone,
    apps: window.apps ?? [],
    environments: window.environments ?? [],
    targets: window.targets ?? [],
  };
}
