import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import {
  type ApplyContext,
  type DriverEvent,
  errorMessage,
  type Health,
  type LiveResource,
  type Logger,
  parseResourceKey,
  WheelhouseError,
} from '../../core/index.js';
import { backoffDelay, canonicalJson } from '../../util/index.js';
import { absenceDrift } from './absence-drift.js';
import { redactSecrets, secretValues } from './child-env.js';
import { crashTail, describeExit, formatTail, restartsAfter, worstHealth } from './describe.js';
import type { FileStaging } from './file-staging.js';
import type { ProcessSpec } from './kind-process.js';
import { type LaunchHost, prepareLaunch } from './launch.js';
import { logDirOf, replicaLogPaths, rotateIfLarger } from './log-files.js';
import { tailTargets } from './log-tail.js';
import type { ProcessDriverOptions } from './options.js';
import { Replica, type ReplicaHost } from './replica.js';
import type { StateStore } from './state-store.js';
import type { ProcessState, ReplicaRecord } from './state-types.js';
import { replicaNode } from './tree-nodes.js';

export interface UnitHost extends LaunchHost {
  options: ProcessDriverOptions;
  log: Logger;
  stateDir: string;
  store: StateStore;
  /** Where Files are written before they are renamed into place. */
  staging: FileStaging;
  emit(event: DriverEvent): void;
}

/** Identifies what one replica runs; `replicas` is left out so scaling never restarts the others. */
export function specHashOf(spec: ProcessSpec): string {
  const { replicas: _count, ...template } = spec;
  return createHash('sha256').update(canonicalJson(template)).digest('hex').slice(0, 16);
}

/**
 * One Process resource: its replicas, the supervisor's decisions for them (restart with backoff,
 * crash loops), rolling updates, and what `observe` reports.
 */
export class ProcessUnit {
  private readonly replicas = new Map<number, Replica>();
  private readonly replicaHost: ReplicaHost;
  /** Set while apply/remove works on it, so the supervisor keeps its hands off. */
  private busy: string | undefined;
  private disposed = false;
  /**
   * Set while the record loaded from disk still holds sealed SOPS values (sealed-values.ts): a
   * replica that exits is restarted once the engine has decrypted the app again, never with marks.
   */
  awaitingSecrets = false;
  private toldAwaiting = false;

  constructor(
    readonly state: ProcessState,
    private readonly host: UnitHost,
  ) {
    const label = `Process ${state.app}/${state.name}`;
    this.replicaHost = {
      app: state.app,
      key: state.key,
      label,
      options: host.options,
      env: host.env,
      users: host.users,
      reservedEnv: () => host.reservedEnv(),
      now: () => host.now(),
      log: host.log.child({ app: state.app, resource: state.key }),
      onExit: (replica) => this.onExit(replica),
      onHealthChange: (replica) => {
        this.persistSoon();
        this.emit(`replica ${replica.index} is ${replica.runningHealth.status}`);
      },
    };
    for (const record of state.replicas)
      this.replicas.set(record.index, new Replica(record, this.replicaHost));
  }

  get key(): string {
    return this.state.key;
  }

  /** At driver start: take over what is still running (returns how many); the rest is left to `tick`. */
  adoptAll(): number {
    let adopted = 0;
    for (const replica of this.replicas.values()) {
      const { record } = replica;
      const thoughtRunning =
        record.pid !== null && !record.stopped && (!record.lastExit || record.lastExit.at < record.startedAt);
      if (replica.adopt()) {
        adopted++;
        continue;
      }
      if (thoughtRunning) record.lastExit = { code: null, signal: null, at: this.host.now().toISOString() };
    }
    this.persistSoon();
    return adopted;
  }

  /** One supervisor pass: notice exits of adopted processes, restart per policy, rotate logs. */
  async tick(): Promise<void> {
    if (this.disposed) return;
    const { options } = this.host;
    const now = this.host.now().getTime();
    for (const replica of this.replicas.values()) {
      replica.poll();
      const { record } = replica;
      if (replica.running) {
        if (record.consecutiveFailures > 0 && now - Date.parse(record.startedAt) >= options.stableAfterMs) {
          record.consecutiveFailures = 0;
          this.persistSoon();
        }
        await this.rotate(record);
        continue;
      }
      if (this.busy || replica.starting || replica.stopping || replica.restartTimer) continue;
      if (record.stopped || !record.lastExit) continue;
      if (record.index >= this.state.spec.replicas) continue;
      if (!restartsAfter(record.spec.restart, record.lastExit)) continue;
      if (this.awaitingSecrets) {
        if (!this.toldAwaiting)
          this.host.log.warn(
            { app: this.state.app, resource: this.key, replica: record.index },
            'replica exited; it is restarted once the engine has decrypted the SOPS values of its app again (check that the app renders)',
          );
        this.toldAwaiting = true;
        continue;
      }
      record.consecutiveFailures++;
      const delay = backoffDelay(record.consecutiveFailures, {
        baseMs: options.backoffInitialMs,
        maxMs: options.backoffMaxMs,
        jitter: 0,
      });
      replica.scheduleRestart(delay, () => void this.restart(replica));
      this.persistSoon();
    }
  }

  /** Rolls the replicas to `spec`, one at a time, each waiting for health. */
  async roll(spec: ProcessSpec, cwd: string, ctx: ApplyContext): Promise<void> {
    const hash = specHashOf(spec);
    const where = { app: this.state.app, resource: this.state.key };
    prepareLaunch(this.host, spec, where, 0); // a missing secret or a refused user fails before anything is touched
    this.state.spec = spec;
    const n = spec.replicas;
    this.busy = 'rolling out';
    try {
      this.persist();
      for (let i = 0; i < n; i++) {
        throwIfAborted(ctx.signal, `${this.label}: the roll was cancelled before replica ${i}`, where);
        const label = `replica ${i + 1}/${n}`;
        this.busy = `rolling out: ${label}`;
        const old = this.replicas.get(i);
        const same = old?.record.specHash === hash;
        if (old && same && old.running && old.runningHealth.status === 'Healthy') {
          ctx.progress(`${this.label}: ${label} already runs this spec and is healthy`);
          continue;
        }
        if (old && same && this.supervisorRestarts(old)) {
          // Re-applying the same spec (self-heal) must not skip the crash backoff: that made a
          // replica that exits at once restart every few seconds.
          const when =
            old.restartAt !== undefined
              ? `in ${Math.max(0, Math.ceil((old.restartAt - this.host.now().getTime()) / 1000))}s`
              : 'after its crash backoff';
          ctx.progress(
            `${this.label}: ${label} ${describeExit(old.record.lastExit)}; the supervisor restarts it ${when}, not this sync`,
          );
          continue;
        }
        if (old && (old.running || old.restartTimer)) {
          ctx.progress(`${this.label}: ${label}: stopping the running copy`);
          await old.stop();
        }
        old?.dispose();
        const replica = new Replica(this.newRecord(i, spec, hash, cwd, ctx.revision, old), this.replicaHost);
        this.replicas.set(i, replica);
        ctx.progress(`${this.label}: ${label}: starting`);
        try {
          await replica.start();
        } catch (err) {
          replica.record.lastExit = {
            code: null,
            signal: null,
            at: this.host.now().toISOString(),
            error: errorMessage(err),
          };
          throw await this.rollFailure(replica, errorMessage(err), n);
        } finally {
          this.persist();
        }
        const failure = await this.waitHealthy(replica, ctx.signal);
        if (failure !== undefined) throw await this.rollFailure(replica, failure, n);
        ctx.progress(`${this.label}: ${label} healthy`);
      }
      await this.scaleDown(n, ctx);
      delete this.state.rollError;
    } catch (err) {
      this.state.rollError = errorMessage(err).split('\n')[0] ?? 'failed';
      throw err;
    } finally {
      this.busy = undefined;
      this.persist();
    }
  }

  /** Stops every replica (highest first); with `keepRecord` it stays recorded as stopped. */
  async stopAll(keepRecord: boolean): Promise<void> {
    this.busy = keepRecord ? 'stopping' : 'removing';
    try {
      for (const index of [...this.replicas.keys()].sort((a, b) => b - a)) {
        const replica = this.replicas.get(index);
        if (!replica) continue;
        await replica.stop();
        replica.record.stopped = true;
        replica.dispose();
      }
    } finally {
      this.busy = undefined;
    }
    if (keepRecord) this.persist();
  }

  async removeFiles(): Promise<void> {
    await rm(logDirOf(this.host.stateDir, this.key), { recursive: true, force: true });
  }

  /** The driver stops supervising; processes keep running. */
  dispose(): void {
    this.disposed = true;
    for (const replica of this.replicas.values()) replica.dispose();
    this.syncRecords();
    this.host.store.saveSoon(this.state);
  }

  health(): Health {
    const { spec } = this.state;
    const parts: Health[] = [];
    for (let i = 0; i < spec.replicas; i++) {
      const replica = this.replicas.get(i);
      const health = replica
        ? this.replicaHealth(replica)
        : { status: 'Missing' as const, message: 'not started' };
      parts.push(prefix(`replica ${i}`, health));
    }
    const worst = worstHealth(parts, { status: 'Suspended', message: 'scaled to 0 replicas' });
    if (this.busy && worst.status === 'Healthy') return { status: 'Progressing', message: this.busy };
    return worst;
  }

  live(): LiveResource {
    const parsed = parseResourceKey(this.key);
    const drift = this.drift();
    return {
      key: this.key,
      kind: 'Process',
      name: this.state.name,
      namespace: parsed?.namespace ?? this.state.app,
      app: this.state.app,
      spec: this.state.spec,
      health: this.health(),
      ...(drift ? { drift } : {}),
      children: this.sortedReplicas().map((r) => replicaNode(r, this.replicaHealth(r))),
      status: {
        replicas: this.sortedReplicas().map((r) => ({
          index: r.index,
          pid: r.running ? r.record.pid : null,
          running: r.running,
          restarts: r.record.restarts,
          health: r.runningHealth.status,
          revision: r.record.revision,
          startedAt: r.record.startedAt,
          ...(r.record.lastExit ? { lastExit: describeExit(r.record.lastExit) } : {}),
          ...(r.lastBackoffMs !== undefined ? { lastBackoffMs: r.lastBackoffMs } : {}),
        })),
      },
    };
  }

  private sortedReplicas(): Replica[] {
    return [...this.replicas.values()].sort((a, b) => a.index - b.index);
  }

  /** Replicas in index order, for logs. */
  records(): ReplicaRecord[] {
    return [...this.replicas.values()].map((r) => r.record).sort((a, b) => a.index - b.index);
  }

  /** The secret values of this Process, for redacting its log lines. */
  secrets(): string[] {
    return secretValues(this.state.spec, this.host.env);
  }

  private get label(): string {
    return `Process ${this.state.app}/${this.state.name}`;
  }

  private drift(): string | undefined {
    const { spec } = this.state;
    const hash = specHashOf(spec);
    const reasons: string[] = [];
    for (let i = 0; i < spec.replicas; i++) {
      const replica = this.replicas.get(i);
      if (!replica) {
        reasons.push(`replica ${i} is not running`);
        continue;
      }
      if (!replica.running && !replica.stopping && !this.supervisorRestarts(replica)) {
        const why = absenceDrift(replica.record, spec.restart);
        if (why) reasons.push(`replica ${i} is not running (${why})`);
      }
      if (replica.record.specHash !== hash) {
        const roll = this.state.rollError ? `; the last roll stopped: ${this.state.rollError}` : '';
        reasons.push(`replica ${i} runs an earlier spec${roll}`);
      }
    }
    const extra = [...this.replicas.keys()].filter((i) => i >= spec.replicas).length;
    if (extra > 0)
      reasons.push(`${extra} replica(s) beyond the declared ${spec.replicas} are still recorded`);
    return reasons.length > 0 ? reasons.join('; ') : undefined;
  }

  /** Whether the supervisor restarts this replica itself (after its crash backoff). */
  private supervisorRestarts(replica: Replica): boolean {
    const { record } = replica;
    if (replica.running || replica.starting || replica.stopping || record.stopped || !record.lastExit)
      return false;
    if (record.index >= this.state.spec.replicas) return false;
    return replica.restartTimer !== undefined || restartsAfter(record.spec.restart, record.lastExit);
  }

  private replicaHealth(replica: Replica): Health {
    const { record } = replica;
    const crashLoop = record.consecutiveFailures >= this.host.options.crashLoopThreshold;
    if (replica.running) {
      const health = replica.runningHealth;
      if (crashLoop && health.status !== 'Healthy') return this.crashLoopHealth(replica);
      return health;
    }
    if (replica.stopping) return { status: 'Progressing', message: 'stopping' };
    if (replica.restartAt !== undefined) {
      if (crashLoop) return this.crashLoopHealth(replica);
      const inSeconds = Math.max(0, Math.ceil((replica.restartAt - this.host.now().getTime()) / 1000));
      return {
        status: 'Progressing',
        message: `${describeExit(record.lastExit)}; restarting in ${inSeconds}s`,
      };
    }
    if (record.stopped)
      return { status: 'Missing', message: 'stopped (wheelhouse down); the next sync starts it' };
    return {
      status: 'Missing',
      message: `not running: ${describeExit(record.lastExit)} (restart: ${record.spec.restart})`,
    };
  }

  private crashLoopHealth(replica: Replica): Health {
    const { record } = replica;
    const next =
      replica.restartAt !== undefined
        ? `next restart in ${Math.max(0, Math.ceil((replica.restartAt - this.host.now().getTime()) / 1000))}s`
        : 'restarting now';
    return {
      status: 'Degraded',
      message:
        `crash loop: ${describeExit(record.lastExit)}, ${record.consecutiveFailures} times in a row; ${next}. ` +
        `Last log lines:\n${formatTail(crashTail(replica.lastLogTail))}`,
    };
  }

  private onExit(replica: Replica): void {
    this.persistSoon();
    void this.readTail(replica).then((tail) => {
      replica.lastLogTail = tail;
    });
    this.emit(`replica ${replica.index} ${describeExit(replica.record.lastExit)}`);
    if (!this.busy) void this.tick();
  }

  private async restart(replica: Replica): Promise<void> {
    if (this.disposed || this.busy || replica.running || replica.starting || replica.record.stopped) return;
    if (this.replicas.get(replica.index) !== replica) return;
    try {
      const after = describeExit(replica.record.lastExit);
      await replica.start();
      replica.record.restarts++;
      this.emit(`replica ${replica.index} restarted`, {
        replica: `replica-${replica.index}`,
        after,
        count: replica.record.restarts,
      });
    } catch (err) {
      replica.record.lastExit = {
        code: null,
        signal: null,
        at: this.host.now().toISOString(),
        error: errorMessage(err),
      };
      this.host.log.error(
        { resource: this.key, replica: replica.index, err: errorMessage(err) },
        'restart failed',
      );
    }
    // Recorded even if the driver stopped meanwhile: the next one must find this pid.
    this.syncRecords();
    this.host.store.saveSoon(this.state);
  }

  private newRecord(
    index: number,
    spec: ProcessSpec,
    specHash: string,
    cwd: string,
    revision: string,
    old: Replica | undefined,
  ): ReplicaRecord {
    const logs = replicaLogPaths(logDirOf(this.host.stateDir, this.key), index);
    const sameSpec = old?.record.specHash === specHash;
    return {
      index,
      spec,
      specHash,
      cwd,
      revision,
      pid: null,
      startTime: null,
      startedAt: this.host.now().toISOString(),
      restarts: sameSpec && old ? old.record.restarts + 1 : 0,
      // A new spec starts afresh; the same spec keeps counting, so its backoff keeps growing.
      consecutiveFailures: sameSpec && old ? old.record.consecutiveFailures : 0,
      logs,
    };
  }

  /** Undefined when healthy; otherwise why it is not. */
  private async waitHealthy(replica: Replica, signal: AbortSignal): Promise<string | undefined> {
    const aborted = abortedBy(signal);
    // Health timers and the children are unref'd: this keeps a waiting process (a one-shot CLI
    // sync, a bare engine) alive until the replica settles.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      return await this.untilHealthy(replica, signal, aborted);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async untilHealthy(
    replica: Replica,
    signal: AbortSignal,
    aborted: Promise<void>,
  ): Promise<string | undefined> {
    for (;;) {
      if (!replica.running) return `it ${describeExit(replica.record.lastExit)} before becoming healthy`;
      const health = replica.runningHealth;
      if (health.status === 'Healthy') return undefined;
      if (health.status === 'Degraded') return health.message ?? 'its health check failed';
      if (signal.aborted) {
        throw new WheelhouseError(
          'HEALTH_TIMEOUT',
          `${this.label}: stopped waiting for replica ${replica.index} to become healthy ` +
            `(${health.message ?? health.status}); it keeps running and the supervisor keeps checking it`,
          { details: { app: this.state.app, resource: this.key, replica: replica.index } },
        );
      }
      await Promise.race([replica.changed(), aborted]);
    }
  }

  private async rollFailure(replica: Replica, reason: string, n: number): Promise<WheelhouseError> {
    const tail = await this.readTail(replica);
    replica.lastLogTail = tail;
    const rest = n - replica.index - 1;
    const others =
      rest > 0
        ? `replicas ${replica.index + 1}..${n - 1} keep running their previous spec`
        : 'no further replicas were touched';
    return new WheelhouseError(
      'DRIVER_FAILED',
      `${this.label}: replica ${replica.index} did not become healthy: ${reason}. The roll stopped; ${others}. ` +
        `Fix the spec or the program and sync again. Last log lines:\n${formatTail(tail)}`,
      { details: { app: this.state.app, resource: this.key, replica: replica.index, logTail: tail } },
    );
  }

  /** The last lines of a replica's stdout and stderr, by time, secrets redacted. */
  async readTail(replica: Replica): Promise<string[]> {
    const n = this.host.options.logTailLines;
    if (!replica.running) await replica.logsWritten();
    const { logs, logPump } = replica.record;
    const stamped = logPump !== undefined;
    const source = `replica-${replica.index}`;
    const lines = await tailTargets(
      [
        { path: logs.stdout, stream: 'stdout', source, offset: 0, stamped },
        { path: logs.stderr, stream: 'stderr', source, offset: 0, stamped },
      ],
      n,
      this.host.options.logMaxFiles,
    ).catch(() => []);
    const secrets = secretValues(replica.record.spec, this.host.env);
    return lines.map((line) => redactSecrets(line.text, secrets));
  }

  private async scaleDown(n: number, ctx: ApplyContext): Promise<void> {
    for (const index of [...this.replicas.keys()].filter((i) => i >= n).sort((a, b) => b - a)) {
      const replica = this.replicas.get(index);
      if (!replica) continue;
      ctx.progress(`${this.label}: scaling down: stopping replica ${index}`);
      await replica.stop();
      replica.dispose();
      this.replicas.delete(index);
      await rm(replica.record.logs.stdout, { force: true });
      await rm(replica.record.logs.stderr, { force: true });
      this.persist();
    }
  }

  /** Only for replicas started before log pumps (a pump rotates its own files). */
  private async rotate(record: ReplicaRecord): Promise<void> {
    if (record.logPump) return;
    const { logMaxBytes, logMaxFiles } = this.host.options;
    try {
      await rotateIfLarger(record.logs.stdout, logMaxBytes, logMaxFiles);
      await rotateIfLarger(record.logs.stderr, logMaxBytes, logMaxFiles);
    } catch (err) {
      this.host.log.warn({ resource: this.key, err: errorMessage(err) }, 'log rotation failed');
    }
  }

  private emit(reason: string, restart?: DriverEvent['restart']): void {
    if (!this.disposed)
      this.host.emit({ app: this.state.app, key: this.key, reason, ...(restart ? { restart } : {}) });
  }

  private syncRecords(): void {
    this.state.replicas = this.records();
    this.state.updatedAt = this.host.now().toISOString();
  }

  private persist(): void {
    this.syncRecords();
    this.host.store.save(this.state);
  }

  private persistSoon(): void {
    if (this.disposed) return;
    this.syncRecords();
    this.host.store.saveSoon(this.state);
  }
}

function prefix(label: string, health: Health): Health {
  return health.message ? { status: health.status, message: `${label}: ${health.message}` } : health;
}

function throwIfAborted(
  signal: AbortSignal,
  message: string,
  where: { app: string; resource: string },
): void {
  if (signal.aborted) throw new WheelhouseError('HEALTH_TIMEOUT', message, { details: where });
}

/** Settles when `signal` aborts (at once if it has). */
function abortedBy(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
