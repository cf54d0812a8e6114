import type { AppWaiting, ControlConfig } from '../core/index.js';
import { normalizeRepoUrl } from '../source/git/index.js';
import { shortSha } from '../util/index.js';
import type { EngineState } from './engine-state.js';
import type { AppRuntime } from './runtime.js';

/** Why one dependency is not ready; `blocked` when only a person can make it ready. */
interface NotReady {
  app: string;
  why: string;
  blocked: boolean;
}

/**
 * Whether `rt` may sync `revision` now: every app in its `dependsOn` must be Synced and Healthy,
 * with nothing running on it, at that revision or a later one (when both follow the same repo;
 * revisions of other repos cannot be compared, and only status counts). Undefined: ready.
 */
export async function dependencyWait(
  st: EngineState,
  rt: AppRuntime,
  revision: string | undefined,
): Promise<AppWaiting | undefined> {
  const names = rt.spec.dependsOn ?? [];
  if (names.length === 0) return undefined;
  const waits: NotReady[] = [];
  for (const name of names) {
    const wait = await notReady(st, rt, st.runtimes.get(name), name, revision);
    if (wait) waits.push(wait);
  }
  if (waits.length === 0) return undefined;
  const blocked = waits.some((w) => w.blocked);
  const previous = rt.waiting;
  return {
    on: waits.map((w) => w.app),
    reason: waits.map((w) => w.why).join('; '),
    blocked,
    ...(revision ? { revision } : {}),
    since: previous?.wait.since ?? st.now().toISOString(),
  };
}

/** Per config, the apps that list each app in their dependsOn. */
const dependentsByConfig = new WeakMap<ControlConfig, ReadonlyMap<string, readonly string[]>>();

/**
 * The apps that list `name` in their dependsOn. Called after every sync: looking through every
 * app each time made a cold converge of 10,000 apps quadratic (0.45 s of the engine's thread), so
 * the config is indexed once. An app's runtime still counts only while its spec lists `name`
 * (while a new config is being applied, some runtimes still have the old one).
 */
export function dependentsOf(st: EngineState, name: string): AppRuntime[] {
  const config = st.config;
  if (!config) return [];
  let index = dependentsByConfig.get(config);
  if (!index) {
    const built = new Map<string, string[]>();
    for (const app of config.apps) {
      for (const dependency of app.dependsOn ?? []) {
        const list = built.get(dependency) ?? [];
        list.push(app.name);
        built.set(dependency, list);
      }
    }
    index = built;
    dependentsByConfig.set(config, index);
  }
  const out: AppRuntime[] = [];
  for (const dependent of index.get(name) ?? []) {
    const rt = st.runtimes.get(dependent);
    if (rt?.spec.dependsOn?.includes(name)) out.push(rt);
  }
  return out;
}

/**
 * One line for a reply or a log: what the app waits for and what to do. `refused`: a person's
 * sync that was not started (it does not wait in the background).
 */
export function describeWait(app: string, wait: AppWaiting, refused = false): string {
  const them = wait.on.join(', ');
  const todo = wait.blocked
    ? `fix ${them} first (its failure blocks ${app})`
    : refused
      ? `sync ${app} again once ${them} ${wait.on.length > 1 ? 'are' : 'is'} Synced and Healthy`
      : `${app} syncs by itself once ${wait.on.length > 1 ? 'they are' : 'it is'} ready`;
  const head = refused ? `app ${app} was not synced: it depends on` : `app ${app} waits for`;
  return `${head} ${them} (dependsOn in wheelhouse.yaml): ${wait.reason} — ${todo}`;
}

async function notReady(
  st: EngineState,
  rt: AppRuntime,
  dep: AppRuntime | undefined,
  name: string,
  revision: string | undefined,
): Promise<NotReady | undefined> {
  const no = (why: string, blocked = false): NotReady => ({ app: name, why: `${name} ${why}`, blocked });
  if (!dep) return no('is not an app of wheelhouse.yaml any more', true);
  if (dep.spec.problem) return no(`is not managed: ${dep.spec.problem.message}`, true);
  if (dep.queue.busy || dep.operation) return no('is syncing');
  if (dep.renderError)
    return no(`does not render at ${shortSha(dep.renderError.revision)}: ${dep.renderError.message}`, true);
  const failed = dep.lastSync?.result === 'failed' && dep.syncStatus !== 'Synced';
  if (failed) {
    const message = dep.state.lastError?.message ?? 'see its history';
    return no(`failed its last sync (${shortSha(dep.lastSync?.revision ?? '')}): ${message}`, true);
  }
  if (dep.syncStatus !== 'Synced') return no(`is ${dep.syncStatus}`);
  // A status is as fresh as the dependency's last check: what Git declares must be what it runs.
  const declared = dep.declared?.digest;
  if (!dep.desired || (declared && declared !== dep.desired.digest))
    return no('is not checked at its newest commit yet');
  if (dep.state.lastGoodDigest !== dep.desired.digest) return no('has changes that are not applied yet');
  if (dep.health.status !== 'Healthy') {
    const message = dep.health.message ? `: ${dep.health.message}` : '';
    return no(`is ${dep.health.status}${message}`, dep.health.status === 'Degraded');
  }
  const at = dep.desired?.revision;
  if (revision && at && at !== revision && sameRepo(rt, dep) && !(await isLater(st, dep, revision, at)))
    return no(`is Synced at ${shortSha(at)}, not yet at ${shortSha(revision)}`);
  return undefined;
}

const sameRepo = (a: AppRuntime, b: AppRuntime): boolean =>
  normalizeRepoUrl(a.repo.url) === normalizeRepoUrl(b.repo.url);

/** `later` descends from `revision`: it has commits `revision` lacks, and none the other way. */
async function isLater(st: EngineState, rt: AppRuntime, revision: string, later: string): Promise<boolean> {
  try {
    const ahead = await st.deps.source.log(rt.repo, revision, later, undefined, 1);
    const behind = await st.deps.source.log(rt.repo, later, revision, undefined, 1);
    return ahead.length > 0 && behind.length === 0;
  } catch {
    return false;
  }
}
