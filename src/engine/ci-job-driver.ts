import {
  type AppState,
  type CiJobResult,
  type CiJobRun,
  type CiJobRunner,
  type Driver,
  errorMessage,
  type Health,
  type LiveResource,
  type LogLine,
  parseResourceKey,
  WheelhouseError,
} from '../core/index.js';
import { CI_JOB_KIND, ciJobSpecOf } from '../render/index.js';

export interface CiJobDriverDeps {
  /** Absent: `CIJob` hooks fail with what to configure (an engine built without CI). */
  runner?: CiJobRunner;
  /** The app's state, where each CIJob's last run is kept (saved with the sync that ran it). */
  stateOf(app: string): AppState | undefined;
  now(): Date;
}

/**
 * The target's driver with `CIJob` hooks added: those run on a CI server through `runner`, never
 * on the target, so every driver (process, docker, kubernetes) gets them the same way. A run is
 * remembered in the app's state (`ciJobs`): observe shows it as a live hook with the digest it
 * last succeeded for, so it runs again only when the app changes (or after a failure).
 */
export function withCiJobs(driver: Driver, deps: CiJobDriverDeps): Driver {
  const isCiJob = (key: string) => parseResourceKey(key)?.kind === CI_JOB_KIND;
  // CIJob runs and removals per app, added to the driver's liveVersion (what observe shows changed).
  const changes = new Map<string, number>();
  const changed = (app: string) => changes.set(app, (changes.get(app) ?? 0) + 1);
  const runOf = (app: string, key: string): CiJobRun | undefined => deps.stateOf(app)?.ciJobs?.[key];

  const apply: Driver['apply'] = async (resource, ctx) => {
    if (resource.kind !== CI_JOB_KIND) return driver.apply(resource, ctx);
    const state = deps.stateOf(resource.app);
    if (!deps.runner) {
      throw new WheelhouseError(
        'HOOK_FAILED',
        `CIJob ${resource.metadata.name} cannot run: this Wheelhouse was started without its CI service (run it with wheelhouse up)`,
      );
    }
    if (!state) throw new Error(`app ${resource.app} has no runtime; its CIJob cannot record its run`);
    const spec = ciJobSpecOf(resource.spec);
    const ref = `${spec.ci}/${spec.job}`;
    let result: CiJobResult;
    try {
      result = await deps.runner.run(
        { ci: spec.ci, job: spec.job, params: spec.params, timeoutMs: spec.timeoutMs },
        { signal: ctx.signal, progress: ctx.progress },
      );
    } catch (err) {
      throw new WheelhouseError('HOOK_FAILED', `could not run ${ref}: ${errorMessage(err)}`, { cause: err });
    }
    const previous = state.ciJobs?.[resource.key];
    const run: CiJobRun = {
      spec: resource.spec,
      outcome: result.outcome,
      build: result.build,
      console: result.console,
      at: deps.now().toISOString(),
      ...(result.url ? { url: result.url } : {}),
    };
    const digest = result.outcome === 'success' ? ctx.digest : previous?.digest;
    if (digest) run.digest = digest;
    state.ciJobs = { ...state.ciJobs, [resource.key]: run };
    changed(resource.app);
    if (result.outcome === 'success') {
      return {
        hookResult: { succeeded: true, logTail: [] },
        facts: { build: result.build, ...(result.url ? { url: result.url } : {}) },
      };
    }
    throw new WheelhouseError('HOOK_FAILED', describeFailure(result, spec.timeout), {
      details: { logTail: result.console, build: result.build },
    });
  };

  const observe: Driver['observe'] = async (app) => {
    const live = await driver.observe(app);
    const runs = Object.entries(deps.stateOf(app)?.ciJobs ?? {});
    return [...live, ...runs.flatMap(([key, run]) => liveOf(app, key, run))];
  };

  const remove: Driver['remove'] = async (resource, ctx) => {
    if (resource.kind !== CI_JOB_KIND) return driver.remove(resource, ctx);
    const state = deps.stateOf(resource.app);
    if (state?.ciJobs) {
      const { [resource.key]: _gone, ...rest } = state.ciJobs;
      state.ciJobs = rest;
      changed(resource.app);
    }
  };

  const health: Driver['health'] = async (app, key) => {
    if (!isCiJob(key)) return driver.health(app, key);
    const run = runOf(app, key);
    return run ? healthOf(run) : { status: 'Missing', message: 'this CIJob has not run yet' };
  };

  const logs: Driver['logs'] = (app, key, options) => {
    if (!isCiJob(key)) return driver.logs(app, key, options);
    const run = runOf(app, key);
    return linesOf(run ? run.console.slice(-Math.max(0, options.tail)) : [], run?.build ?? key);
  };

  const liveVersion = driver.liveVersion
    ? (app: string) => (driver.liveVersion?.(app) ?? 0) + (changes.get(app) ?? 0)
    : undefined;

  return new Proxy(driver, {
    get(target, prop) {
      if (prop === 'liveVersion') return liveVersion;
      if (prop === 'apply') return apply;
      if (prop === 'observe') return observe;
      if (prop === 'remove') return remove;
      if (prop === 'health') return health;
      if (prop === 'logs') return logs;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** "jenkins/integration#7 failed (https://…/7/)", or why it ended otherwise. */
function describeFailure(result: CiJobResult, timeout: string): string {
  const link = result.url ? ` (${result.url})` : '';
  switch (result.outcome) {
    case 'timeout':
      return `${result.build}${link} did not finish within its timeout of ${timeout}; it was cancelled — raise spec.timeout or look at the build`;
    case 'cancelled':
      return `${result.build}${link} was cancelled on the CI server`;
    default:
      return `${result.build}${link} failed`;
  }
}

function healthOf(run: CiJobRun): Health {
  const link = run.url ? ` (${run.url})` : '';
  if (run.outcome === 'success') return { status: 'Healthy', message: `${run.build} succeeded${link}` };
  const tail = run.console.length > 0 ? `: ${run.console.slice(-3).join(' / ')}` : '';
  return {
    status: 'Degraded',
    message: `${run.build} ${run.outcome === 'failure' ? 'failed' : `ended: ${run.outcome}`}${link}${tail}`,
  };
}

function liveOf(app: string, key: string, run: CiJobRun): LiveResource[] {
  const parsed = parseResourceKey(key);
  if (!parsed) return [];
  return [
    {
      key,
      kind: parsed.kind,
      name: parsed.name,
      namespace: parsed.namespace,
      app,
      spec: run.spec,
      health: healthOf(run),
      ...(run.digest ? { appliedDigest: run.digest } : {}),
      status: { build: run.build, ...(run.url ? { url: run.url } : {}) },
    },
  ];
}

async function* linesOf(lines: readonly string[], source: string): AsyncIterable<LogLine> {
  for (const text of lines) yield { stream: 'stdout', source, text };
}
