import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ApplyContext,
  type ApplyOutcome,
  type DesiredResource,
  type Driver,
  type DriverDeps,
  type DriverEvent,
  errorMessage,
  type Health,
  type KindDefinition,
  type LiveResource,
  type LogLine,
  type LogOptions,
  WheelhouseError,
} from '../../core/index.js';
import { redactSecrets } from './child-env.js';
import { applyFile } from './file-apply.js';
import { FileStaging } from './file-staging.js';
import { FileUnit } from './file-unit.js';
import { FileWatcher } from './file-watch.js';
import { applyJob } from './job-apply.js';
import { JobUnit, jobLogPath } from './job-unit.js';
import { fileKind } from './kind-file.js';
import { jobKind } from './kind-job.js';
import { processKind } from './kind-process.js';
import { type FollowTarget, followFiles } from './log-follow.js';
import { tailTargets } from './log-tail.js';
import { type ProcessDriverOptions, parseOptions } from './options.js';
import { applyProcess } from './process-apply.js';
import { ProcessUnit, type UnitHost } from './process-unit.js';
import { SealedValues } from './sealed-values.js';
import { StateStore } from './state-store.js';
import type { ResourceState } from './state-types.js';
import type { Unit, UnitRegistry, Where } from './units.js';
import { WorkloadUsers } from './workload-user.js';

const STOP_GRACE_MS = 5000;

type ApplyKind = (
  units: UnitRegistry,
  resource: DesiredResource,
  ctx: ApplyContext,
  where: Where,
) => Promise<ApplyOutcome>;

/** One module per kind applies it, as in the docker driver. */
const APPLY: Readonly<Record<string, ApplyKind>> = {
  Process: applyProcess,
  Job: applyJob,
  File: applyFile,
};

/** The embedded default target: local processes, run-once Jobs and Files under a root directory. */
export function createProcessDriver(deps: DriverDeps): Driver {
  return new ProcessDriver(deps);
}

export const processDriverKinds: readonly KindDefinition[] = [fileKind, jobKind, processKind];

class ProcessDriver implements Driver {
  readonly name = 'process';
  readonly kinds = processDriverKinds;
  private readonly options: ProcessDriverOptions;
  private readonly stateDir: string;
  private readonly store: StateStore;
  private readonly host: UnitHost;
  private readonly users: WorkloadUsers;
  private readonly registry: UnitRegistry;
  private readonly units = new Map<string, Unit>();
  /** The units the supervisor looks after (Processes and Jobs): not every File, each pass. */
  private readonly supervised = new Set<ProcessUnit | JobUnit>();
  /** Keys per app, so observing one app never walks every resource. */
  private readonly byApp = new Map<string, Set<string>>();
  /** Absolute path → key of the File resource that writes it. */
  private readonly fileOwners = new Map<string, string>();
  private readonly listeners = new Set<(event: DriverEvent) => void>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Per app, a count of everything that may change what `observe` reports (`liveVersion`). */
  private readonly versions = new Map<string, number>();
  /** Resources whose record on disk holds sealed secret values not known again yet. */
  private readonly sealedKeys = new Set<string>();
  private watcher: FileWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private started = false;

  constructor(private readonly deps: DriverDeps) {
    // No I/O here: the kind registry builds drivers only to read their kinds.
    this.stateDir = resolve(deps.stateDir || '.');
    this.options = parseOptions(deps.target, this.stateDir, deps.options);
    this.store = new StateStore(this.stateDir, deps.log, new SealedValues(this.stateDir, deps.secretValues));
    this.users = new WorkloadUsers({
      target: deps.target,
      user: this.options.user,
      allowedUsers: this.options.allowedUsers,
      engineUid: process.getuid?.(),
      log: deps.log,
    });
    this.host = {
      options: this.options,
      env: deps.env,
      users: this.users,
      reservedEnv: () => deps.reservedEnv?.() ?? [],
      now: deps.now ?? (() => new Date()),
      log: deps.log,
      stateDir: this.stateDir,
      store: this.store,
      staging: new FileStaging(this.stateDir),
      emit: (event) => this.emit(event),
    };
    this.registry = {
      target: deps.target,
      options: this.options,
      stateDir: this.stateDir,
      host: this.host,
      fileOwners: this.fileOwners,
      get: (key) => this.units.get(key),
      register: (unit) => this.register(unit),
      watchFile: (path, key) => {
        this.watcher?.add(path, key);
        this.fileOwners.set(path, key);
      },
      releaseFile: (path) => {
        this.watcher?.remove(path);
        this.fileOwners.delete(path);
      },
    };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.users.check();
    await mkdir(this.stateDir, { recursive: true });
    this.watcher = new FileWatcher((key) => void this.fileTouched(key));
    this.host.staging.prepare();
    for (const state of this.store.loadAll()) {
      const unit = this.register(this.unitFor(state));
      if (this.store.sealed.isSealed(state)) {
        this.sealedKeys.add(unit.key);
        if (unit instanceof ProcessUnit) unit.awaitingSecrets = true;
      }
    }
    let adopted = 0;
    for (const unit of this.units.values()) {
      if (unit instanceof ProcessUnit) {
        adopted += unit.adoptAll();
      } else if (unit instanceof FileUnit) {
        this.watcher.add(unit.state.path, unit.key);
      }
    }
    this.started = true;
    this.timer = setInterval(() => void this.tick(), this.options.pollIntervalMs);
    this.timer.unref();
    void this.tick();
    this.deps.log.info(
      { target: this.deps.target, resources: this.units.size, adopted },
      'process driver started; running processes re-adopted',
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    for (const unit of this.units.values()) if (unit instanceof ProcessUnit) unit.dispose();
    // Let applies in flight settle (their sync should have been aborted), but never hang on one.
    await Promise.race([
      Promise.allSettled([...this.locks.values()]),
      sleep(STOP_GRACE_MS, undefined, { ref: false }),
    ]);
    this.units.clear();
    this.supervised.clear();
    this.byApp.clear();
    this.fileOwners.clear();
    this.store.close();
  }

  async observe(app: string): Promise<LiveResource[]> {
    this.requireStarted('observe');
    this.unsealKnown();
    const out: LiveResource[] = [];
    for (const key of this.byApp.get(app) ?? []) {
      const unit = this.units.get(key);
      if (unit) out.push(unit.live());
    }
    return out;
  }

  apply(resource: DesiredResource, ctx: ApplyContext): Promise<ApplyOutcome> {
    this.requireStarted('apply');
    this.unsealKnown();
    this.changed(resource.app);
    return this.locked(resource.key, () => this.applyNow(resource, ctx)).finally(() =>
      this.changed(resource.app),
    );
  }

  liveVersion(app: string): number {
    return this.versions.get(app) ?? 0;
  }

  private changed(app: string): void {
    this.versions.set(app, (this.versions.get(app) ?? 0) + 1);
  }

  remove(resource: LiveResource, ctx: ApplyContext): Promise<void> {
    this.requireStarted('remove');
    this.changed(resource.app);
    return this.locked(resource.key, async () => {
      const unit = this.units.get(resource.key);
      if (!unit || unit.state.app !== resource.app) return;
      ctx.progress(`${unit.state.kind} ${unit.state.app}/${unit.state.name}: removing`);
      if (unit instanceof ProcessUnit) {
        await unit.stopAll(false);
        await unit.removeFiles();
      } else if (unit instanceof JobUnit) {
        await unit.stop();
        await unit.removeFiles();
      } else {
        this.watcher?.remove(unit.state.path);
        unit.remove();
      }
      this.store.remove(unit.key);
      this.unregister(unit);
      this.emit({ app: unit.state.app, key: unit.key, reason: 'removed' });
    });
  }

  async health(app: string, key: string): Promise<Health> {
    this.requireStarted('health');
    const unit = this.units.get(key);
    if (!unit || unit.state.app !== app)
      return { status: 'Missing', message: `${key} is not on this target` };
    return unit instanceof FileUnit ? unit.live().health : unit.health();
  }

  async *logs(app: string, key: string, options: LogOptions): AsyncGenerator<LogLine> {
    this.requireStarted('logs');
    const unit = this.units.get(key);
    if (!unit || unit.state.app !== app) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `no resource ${key} of app ${app} on target ${this.deps.target}`,
        {
          details: { app, resource: key },
        },
      );
    }
    const targets: FollowTarget[] = [];
    if (unit instanceof ProcessUnit) {
      for (const record of unit.records()) {
        const source = `replica-${record.index}`;
        const stamped = record.logPump !== undefined;
        targets.push({ path: record.logs.stdout, stream: 'stdout', source, offset: 0, stamped });
        targets.push({ path: record.logs.stderr, stream: 'stderr', source, offset: 0, stamped });
      }
    } else if (unit instanceof JobUnit) {
      const path = jobLogPath(this.stateDir, key);
      targets.push({ path, stream: 'stdout', source: 'job', offset: 0, stamped: true });
    }
    const secrets = unit instanceof FileUnit ? [] : unit.secrets();
    const tail = await tailTargets(targets, options.tail, this.options.logMaxFiles);
    for (const line of tail) yield { ...line, text: redactSecrets(line.text, secrets) };
    if (!options.follow || targets.length === 0) return;
    for await (const line of followFiles(targets, {
      intervalMs: this.options.followIntervalMs,
      signal: options.signal,
    })) {
      yield { ...line, text: redactSecrets(line.text, secrets) };
    }
  }

  watch(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async teardown(): Promise<void> {
    const stops: Promise<void>[] = [];
    const wasStarted = this.started;
    if (!wasStarted) await this.start();
    for (const unit of this.units.values()) {
      if (unit instanceof ProcessUnit) stops.push(this.locked(unit.key, () => unit.stopAll(true)));
      else if (unit instanceof JobUnit) stops.push(this.locked(unit.key, () => unit.stop()));
    }
    const results = await Promise.allSettled(stops);
    if (!wasStarted) await this.stop();
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `could not stop ${failed.length} workload(s) on target ${this.deps.target}: ${failed.map((f) => errorMessage(f.reason)).join('; ')}`,
      );
    }
  }

  private applyNow(resource: DesiredResource, ctx: ApplyContext): Promise<ApplyOutcome> {
    const where = { app: resource.app, resource: resource.key };
    const existing = this.units.get(resource.key);
    if (existing && existing.state.app !== resource.app) {
      throw new WheelhouseError(
        'CONFLICT',
        `${resource.key} belongs to app ${existing.state.app}, not ${resource.app}; give it another name or namespace`,
        { details: where },
      );
    }
    const apply = APPLY[resource.kind];
    if (!apply) {
      throw new WheelhouseError(
        'MANIFEST_INVALID',
        `kind ${resource.kind} is not served by the process driver (it serves ${this.kinds.map((k) => k.kind).join(', ')})`,
        { details: where },
      );
    }
    return apply(this.registry, resource, ctx, where);
  }

  private unitFor(state: ResourceState): Unit {
    switch (state.kind) {
      case 'Process':
        return new ProcessUnit(state, this.host);
      case 'Job':
        return new JobUnit(state, this.host);
      case 'File':
        return new FileUnit(state, this.host);
    }
  }

  private register<U extends Unit>(unit: U): U {
    const before = this.units.get(unit.key);
    if (before && before !== unit && !(before instanceof FileUnit)) this.supervised.delete(before);
    this.units.set(unit.key, unit);
    if (!(unit instanceof FileUnit)) this.supervised.add(unit);
    const keys = this.byApp.get(unit.state.app) ?? new Set<string>();
    keys.add(unit.key);
    this.byApp.set(unit.state.app, keys);
    if (unit instanceof FileUnit && unit.state.path) this.fileOwners.set(unit.state.path, unit.key);
    return unit;
  }

  private unregister(unit: Unit): void {
    this.units.delete(unit.key);
    if (!(unit instanceof FileUnit)) this.supervised.delete(unit);
    const keys = this.byApp.get(unit.state.app);
    keys?.delete(unit.key);
    if (keys?.size === 0) this.byApp.delete(unit.state.app);
    if (unit instanceof FileUnit && this.fileOwners.get(unit.state.path) === unit.key) {
      this.fileOwners.delete(unit.state.path);
    }
  }

  /**
   * Puts SOPS-decrypted values back into the records loaded sealed, once the engine knows them
   * again (it decrypts an app before it observes or applies it).
   */
  private unsealKnown(): void {
    for (const key of this.sealedKeys) {
      const unit = this.units.get(key);
      if (unit && !this.store.sealed.unseal(unit.state)) continue;
      this.sealedKeys.delete(key);
      if (unit) this.changed(unit.state.app);
      if (unit instanceof ProcessUnit) unit.awaitingSecrets = false;
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking || !this.started) return;
    this.ticking = true;
    try {
      this.unsealKnown();
      for (const unit of [...this.supervised]) await unit.tick();
      this.deps.log.debug({ target: this.deps.target }, 'supervisor pass done'); // tests wait on passes
    } catch (err) {
      this.deps.log.error({ err: errorMessage(err) }, 'supervisor pass failed');
    } finally {
      this.ticking = false;
    }
  }

  private async fileTouched(key: string): Promise<void> {
    const unit = this.units.get(key);
    if (!(unit instanceof FileUnit) || !this.started || this.locks.has(key)) return;
    let check: ReturnType<FileUnit['checkDisk']> | undefined;
    try {
      check = unit.checkDisk();
    } catch {
      return;
    }
    if (check?.drift) this.emit({ app: unit.state.app, key, reason: check.drift });
  }

  private emit(event: DriverEvent): void {
    this.changed(event.app);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log.error({ err: errorMessage(err) }, 'a watch listener failed');
      }
    }
  }

  private locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }

  private requireStarted(what: string): void {
    if (!this.started) {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `the process driver of target ${this.deps.target} is not started; call start() before ${what}()`,
      );
    }
  }
}
