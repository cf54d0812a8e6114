import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Health, Logger } from '../../core/index.js';
import { childEnv, expandReplica } from './child-env.js';
import { HealthTracker } from './health-tracker.js';
import { type Launch, type LaunchHost, prepareLaunch } from './launch.js';
import { pumpDrained, startLogPumpFor } from './log-pump.js';
import type { ProcessDriverOptions } from './options.js';
import { isSameProcess, readProcStat } from './proc-stat.js';
import { spawnDetached } from './spawn-detached.js';
import type { ReplicaRecord } from './state-types.js';
import { stopGroup } from './stop-group.js';

/** What a replica needs from the Process it belongs to. */
export interface ReplicaHost extends LaunchHost {
  app: string;
  key: string;
  /** `Process shop/web`, for messages. */
  label: string;
  options: ProcessDriverOptions;
  log: Logger;
  onExit(replica: Replica): void;
  onHealthChange(replica: Replica): void;
}

/**
 * One running (or stopped) copy of a Process: starts it detached, notices when it exits (an exit
 * event for our own children, `/proc` polling for re-adopted ones), tracks its health, stops it.
 */
export class Replica {
  running = false;
  /** Between the decision to start and the process running (spawn is asynchronous). */
  starting = false;
  stopping = false;
  restartTimer: NodeJS.Timeout | undefined;
  restartAt: number | undefined;
  lastBackoffMs: number | undefined;
  /** Last log lines read when it exited (for crash messages). */
  lastLogTail: string[] = [];
  private child: ChildProcess | undefined;
  private tracker: HealthTracker | undefined;
  /** Stopping what the last run left in its process group; a new start waits for it. */
  private leftovers: Promise<void> | undefined;
  private disposed = false;
  /** Settles when the start in flight has finished (either way). */
  private startDone: Promise<void> = Promise.resolve();
  /** Woken on every change of running or health (see `changed`). */
  private waiters: (() => void)[] = [];

  constructor(
    public record: ReplicaRecord,
    private readonly host: ReplicaHost,
  ) {}

  get index(): number {
    return this.record.index;
  }

  get what(): string {
    return `replica ${this.index} of ${this.host.label}`;
  }

  /**
   * Health while running (from its checks); Missing otherwise (the Process adds why). A replica
   * whose process has exited is never Healthy, also before its exit is noticed (a zombie not yet
   * reaped, a re-adopted process between two polls).
   */
  get runningHealth(): Health {
    if (!this.running || !isSameProcess(this.record.pid, this.record.startTime)) {
      return { status: 'Missing', message: 'not running' };
    }
    return this.tracker?.health ?? { status: 'Progressing', message: 'starting' };
  }

  /** The last health probe's answer while running; undefined without a check or before the first. */
  get lastProbe(): string | undefined {
    return this.running ? this.tracker?.lastProbe : undefined;
  }

  /** Starts the process with the record's spec and cwd; throws with a clear message on failure. */
  async start(): Promise<void> {
    this.starting = true;
    const run = (async () => {
      await this.leftovers;
      await this.spawn();
    })();
    this.startDone = run.then(
      () => {},
      () => {},
    );
    try {
      await run;
    } finally {
      this.starting = false;
      this.notify();
    }
  }

  private async spawn(): Promise<void> {
    const { spec } = this.record;
    const where = { app: this.host.app, resource: this.host.key };
    const launch = prepareLaunch(this.host, spec, where, this.index);
    await mkdir(dirname(this.record.logs.stdout), { recursive: true });
    const pump = await startLogPumpFor(this.record.logs, this.host.options, this.what, where);
    let spawned: Awaited<ReturnType<typeof spawnDetached>>;
    try {
      spawned = await spawnDetached({
        argv: spec.command,
        cwd: this.record.cwd,
        env: launch.env,
        ...this.record.logs,
        pipes: pump,
        what: this.what,
        details: where,
        user: launch.user,
      });
    } finally {
      pump.release(); // the pump ends once nothing holds the pipes' other ends
    }
    this.record.logPump = { pid: pump.pid, startTime: readProcStat(pump.pid)?.startTime ?? null };
    this.stopping = false;
    this.record.pid = spawned.pid;
    this.record.startTime = spawned.startTime;
    this.record.startedAt = this.host.now().toISOString();
    delete this.record.stopped;
    delete this.record.health;
    this.child = spawned.child;
    this.running = true;
    const child = spawned.child;
    void spawned.exited.then(({ code, signal }) => {
      if (this.child === child) this.exited(code, signal);
    });
    this.host.log.info(
      { replica: this.index, pid: spawned.pid, ...(launch.user ? { uid: launch.user.uid } : {}) },
      `started ${this.what}`,
    );
    this.track(launch);
  }

  /** Takes over a process an earlier engine started, if it is still the same process. */
  adopt(): boolean {
    if (this.record.stopped || !isSameProcess(this.record.pid, this.record.startTime)) return false;
    this.running = true;
    let launch: Launch;
    try {
      launch = prepareLaunch(
        this.host,
        this.record.spec,
        { app: this.host.app, resource: this.host.key },
        this.index,
      );
    } catch {
      // Only the exec check's environment lacks the secrets (the process already has its own);
      // it runs as the target's user, never as Wheelhouse.
      const user = this.host.users.forSpec(undefined, { app: this.host.app, resource: this.host.key });
      launch = {
        env: childEnv({ ...this.record.spec, secretEnv: {} }, {}, this.host.env, this.index, user?.home),
        user,
      };
    }
    this.track(launch, this.record.health);
    return true;
  }

  /** Settles at the next change of running or health (an exit, a start, a health change). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Settles once the log pump has written everything the last run printed (it ends when the
   * pipes close), or after a short deadline when something the run left behind still holds them.
   */
  async logsWritten(): Promise<void> {
    await pumpDrained(this.record.logPump);
  }

  /** For re-adopted processes (not our children): notice an exit by polling `/proc`. */
  poll(): void {
    if (this.running && !this.child && !isSameProcess(this.record.pid, this.record.startTime)) {
      this.exited(null, null);
    }
  }

  /** Stops it with its stop signal, then SIGKILL after its stop timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelRestart();
    await this.startDone; // a start in flight finishes first, then is stopped
    this.tracker?.stop();
    const { pid, startTime, spec } = this.record;
    if (pid !== null) {
      await stopGroup({
        pid,
        startTime,
        signal: spec.stopSignal,
        timeoutMs: spec.stopTimeoutSeconds * 1000,
        what: this.what,
        log: this.host.log,
      });
    }
    this.running = false;
    this.stopping = false;
    this.child = undefined;
    await this.logsWritten(); // what it printed while stopping is in its log when stop returns
  }

  scheduleRestart(delayMs: number, restart: () => void): void {
    this.cancelRestart();
    this.lastBackoffMs = delayMs;
    this.restartAt = this.host.now().getTime() + delayMs;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartAt = undefined;
      restart();
    }, delayMs);
    this.restartTimer.unref();
  }

  cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restartAt = undefined;
  }

  /** The driver stops supervising: timers end, the process keeps running. */
  dispose(): void {
    this.disposed = true;
    this.notify();
    this.cancelRestart();
    this.tracker?.stop();
    if (this.running) this.record.health = this.runningHealth.status;
  }

  private track(launch: Launch, initial?: ReplicaRecord['health']): void {
    const check = this.record.spec.health ? expandReplica(this.record.spec.health, this.index) : undefined;
    this.tracker = new HealthTracker({
      check,
      probeContext: {
        cwd: this.record.cwd,
        env: launch.env,
        user: launch.user,
        owner: () => {
          const { pid, startTime } = this.record;
          return pid === null ? undefined : { pgid: pid, startTime };
        },
      },
      startedAtMs: Date.parse(this.record.startedAt) || this.host.now().getTime(),
      minUptimeMs: this.host.options.minUptimeMs,
      now: () => this.host.now().getTime(),
      startupProbeIntervalMs: this.host.options.startupProbeIntervalMs,
      initial,
      onChange: (health) => {
        this.record.health = health.status;
        this.notify();
        if (!this.disposed) this.host.onHealthChange(this);
      },
    });
    this.tracker.start();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.running || this.disposed) return;
    this.running = false;
    this.child = undefined;
    this.tracker?.stop();
    delete this.record.health;
    this.record.lastExit = { code, signal, at: this.host.now().toISOString() };
    this.notify();
    if (!this.stopping) {
      this.host.log.warn({ replica: this.index, pid: this.record.pid, code, signal }, `${this.what} exited`);
      this.stopLeftovers();
      this.host.onExit(this);
    }
  }

  /**
   * The leader exited: whatever it started in its group (`sh -c "worker & exit 0"`) is stopped
   * too, with the stop signal and then SIGKILL, so restarts never pile up orphans.
   */
  private stopLeftovers(): void {
    const { pid, startTime, spec } = this.record;
    if (pid === null) return;
    this.leftovers = stopGroup({
      pid,
      startTime,
      signal: spec.stopSignal,
      timeoutMs: spec.stopTimeoutSeconds * 1000,
      what: `what ${this.what} left running`,
      log: this.host.log,
    })
      .then((ended) => {
        if (ended !== 'not-running')
          this.host.log.info(
            { replica: this.index, pid },
            `stopped what ${this.what} left running (${ended})`,
          );
      })
      .catch((err: unknown) => {
        this.host.log.error(
          { replica: this.index, pid, err: String(err) },
          `could not stop what ${this.what} left running`,
        );
      });
  }
}
