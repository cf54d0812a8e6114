import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ApplyContext,
  type ApplyOutcome,
  errorMessage,
  type Health,
  type LiveResource,
  parseResourceKey,
  WheelhouseError,
} from '../../core/index.js';
import { redactSecrets, secretValues } from './child-env.js';
import type { JobSpec } from './kind-job.js';
import { prepareLaunch } from './launch.js';
import { lastLines, logDirOf, rotateByRename, rotateIfLarger } from './log-files.js';
import { pumpDrained, startLogPumpFor } from './log-pump.js';
import { unstamp } from './log-stamp.js';
import { isSameProcess, readProcStat } from './proc-stat.js';
import type { UnitHost } from './process-unit.js';
import { type ExitStatus, spawnDetached } from './spawn-detached.js';
import type { JobRun, JobState } from './state-types.js';
import { stopGroup } from './stop-group.js';
import { jobRunNodes } from './tree-nodes.js';

const KILL_GRACE_MS = 5000;

export function jobLogPath(stateDir: string, key: string): string {
  return join(logDirOf(stateDir, key), 'job.log');
}

/** One Job resource: runs its command to completion once per app digest and remembers the result. */
export class JobUnit {
  private active = false;

  constructor(
    readonly state: JobState,
    private readonly host: UnitHost,
  ) {}

  get key(): string {
    return this.state.key;
  }

  private get label(): string {
    return `Job ${this.state.app}/${this.state.name}`;
  }

  /**
   * One supervisor pass: notice a run an earlier engine left
   * (still running: it is stopped and rerun on the next apply; gone: its result is unknown).
   */
  async tick(): Promise<void> {
    const { running } = this.state;
    if (!running) return;
    if (!this.state.lastRun?.logPump) {
      // A run started before Jobs wrote through the log pump holds job.log itself.
      const { logMaxBytes, logMaxFiles } = this.host.options;
      await rotateIfLarger(jobLogPath(this.host.stateDir, this.key), logMaxBytes, logMaxFiles).catch(
        () => false,
      );
    }
    if (this.active || isSameProcess(running.pid, running.startTime)) return;
    this.finishLost(running.digest);
  }

  async run(spec: JobSpec, cwd: string, ctx: ApplyContext): Promise<ApplyOutcome> {
    const where = { app: this.state.app, resource: this.key };
    if (this.active) {
      throw new WheelhouseError('CONFLICT', `${this.label} is already running; wait for it to finish`, {
        details: where,
      });
    }
    const launch = prepareLaunch(this.host, spec, where);
    this.active = true;
    try {
      await this.stopLeftover(ctx);
      this.state.spec = spec;
      const logPath = jobLogPath(this.host.stateDir, this.key);
      await mkdir(logDirOf(this.host.stateDir, this.key), { recursive: true });
      await rotateByRename(logPath, this.host.options.logMaxFiles);
      const run: JobRun = {
        digest: ctx.digest,
        revision: ctx.revision,
        startedAt: this.host.now().toISOString(),
        logTail: [],
      };
      this.state.lastRun = run;
      let spawned: Awaited<ReturnType<typeof spawnDetached>>;
      try {
        // Through the log pump, like a Process: the run never holds job.log, so it cannot write
        // past logMaxBytes between two supervisor passes.
        const pump = await startLogPumpFor(
          { stdout: logPath, stderr: logPath },
          this.host.options,
          this.label,
          where,
        );
        run.logPump = { pid: pump.pid, startTime: readProcStat(pump.pid)?.startTime ?? null };
        try {
          spawned = await spawnDetached({
            argv: spec.command,
            cwd,
            env: launch.env,
            stdout: logPath,
            stderr: logPath,
            pipes: pump,
            what: this.label,
            details: where,
            user: launch.user,
          });
        } finally {
          pump.release();
        }
      } catch (err) {
        return await this.finish(run, { code: null, signal: null }, false, [
          `[wheelhouse] ${errorMessage(err)}`,
        ]);
      }
      if (spawned.startTime) {
        this.state.running = { pid: spawned.pid, startTime: spawned.startTime, digest: ctx.digest };
      }
      this.persist();
      ctx.progress(`${this.label}: running (pid ${spawned.pid})`);
      const outcome = await this.waitForExit(spawned, spec, ctx.signal);
      if (outcome === 'cancelled') {
        await this.finish(run, { code: null, signal: 'SIGKILL' }, false, [
          '[wheelhouse] cancelled: the sync was aborted',
        ]);
        throw new WheelhouseError('HOOK_FAILED', `${this.label} was stopped because the sync was cancelled`, {
          details: where,
        });
      }
      const notes: string[] = [];
      if (outcome.timedOut) notes.push(`[wheelhouse] timed out after ${spec.timeoutSeconds}s and was killed`);
      else if (outcome.status.code !== 0) {
        notes.push(
          outcome.status.signal
            ? `[wheelhouse] killed by ${outcome.status.signal}`
            : `[wheelhouse] exited with code ${outcome.status.code}`,
        );
      }
      return await this.finish(run, outcome.status, outcome.timedOut, notes);
    } finally {
      this.active = false;
    }
  }

  /** Stops a run in progress (remove, teardown). */
  async stop(): Promise<void> {
    const { running } = this.state;
    if (!running) return;
    await stopGroup({
      pid: running.pid,
      startTime: running.startTime,
      signal: 'SIGTERM',
      timeoutMs: KILL_GRACE_MS,
      what: this.label,
      log: this.host.log,
    });
  }

  async removeFiles(): Promise<void> {
    await rm(logDirOf(this.host.stateDir, this.key), { recursive: true, force: true });
  }

  health(): Health {
    if (this.active || this.state.running) return { status: 'Progressing', message: 'running' };
    const last = this.state.lastRun;
    if (!last || last.succeeded)
      return { status: 'Healthy', ...(last ? { message: 'last run succeeded' } : {}) };
    return {
      status: 'Degraded',
      message: `last run failed:\n${last.logTail.map((l) => `  | ${l}`).join('\n')}`,
    };
  }

  live(): LiveResource {
    const last = this.state.lastRun;
    return {
      key: this.key,
      kind: 'Job',
      name: this.state.name,
      namespace: parseResourceKey(this.key)?.namespace ?? this.state.app,
      app: this.state.app,
      spec: this.state.spec,
      health: this.health(),
      ...(this.state.appliedDigest ? { appliedDigest: this.state.appliedDigest } : {}),
      children: jobRunNodes(this.state, this.active || this.state.running !== undefined),
      status: {
        running: this.active || this.state.running !== undefined,
        ...(last
          ? {
              lastRun: {
                digest: last.digest,
                revision: last.revision,
                startedAt: last.startedAt,
                ...(last.finishedAt ? { finishedAt: last.finishedAt } : {}),
                ...(last.succeeded !== undefined ? { succeeded: last.succeeded } : {}),
              },
            }
          : {}),
      },
    };
  }

  secrets(): string[] {
    return secretValues(this.state.spec, this.host.env);
  }

  private async stopLeftover(ctx: ApplyContext): Promise<void> {
    const { running } = this.state;
    if (!running) return;
    if (isSameProcess(running.pid, running.startTime)) {
      ctx.progress(
        `${this.label}: stopping a run left by an earlier engine (pid ${running.pid}) to run it afresh`,
      );
      await this.stop();
    }
    delete this.state.running;
  }

  private async waitForExit(
    spawned: Awaited<ReturnType<typeof spawnDetached>>,
    spec: JobSpec,
    signal: AbortSignal,
  ): Promise<{ status: ExitStatus; timedOut: boolean } | 'cancelled'> {
    let timedOut = false;
    let cancelled = false;
    const kill = () =>
      void stopGroup({
        pid: spawned.pid,
        startTime: spawned.startTime,
        signal: 'SIGTERM',
        timeoutMs: KILL_GRACE_MS,
        what: this.label,
        log: this.host.log,
      }).catch((err: unknown) =>
        this.host.log.error({ err: errorMessage(err) }, `could not stop ${this.label}`),
      );
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, spec.timeoutSeconds * 1000);
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    try {
      const status = await spawned.exited;
      // What the command left running in its group (`sh -c "daemon & exit 0"`) ends with it.
      await stopGroup({
        pid: spawned.pid,
        startTime: spawned.startTime,
        signal: 'SIGTERM',
        timeoutMs: KILL_GRACE_MS,
        what: `what ${this.label} left running`,
        log: this.host.log,
      }).catch((err: unknown) =>
        this.host.log.error({ err: errorMessage(err) }, `could not stop what ${this.label} left running`),
      );
      return cancelled ? 'cancelled' : { status, timedOut };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async finish(
    run: JobRun,
    status: ExitStatus,
    timedOut: boolean,
    notes: string[],
  ): Promise<ApplyOutcome> {
    const n = this.host.options.logTailLines;
    await pumpDrained(run.logPump);
    const lines = (await lastLines(jobLogPath(this.host.stateDir, this.key), n).catch(() => [])).map(
      (line) => unstamp(line).text,
    );
    const secrets = secretValues(this.state.spec, this.host.env);
    const logTail = [...lines.map((line) => redactSecrets(line, secrets)), ...notes].slice(-n);
    const succeeded = !timedOut && status.code === 0 && notes.length === 0;
    Object.assign(run, {
      finishedAt: this.host.now().toISOString(),
      succeeded,
      exitCode: status.code,
      signal: status.signal,
      timedOut,
      logTail,
    });
    if (succeeded) this.state.appliedDigest = run.digest;
    delete this.state.running;
    this.persist();
    this.host.emit({
      app: this.state.app,
      key: this.key,
      reason: succeeded ? 'Job succeeded' : 'Job failed',
    });
    return { hookResult: { succeeded, logTail } };
  }

  private finishLost(digest: string): void {
    delete this.state.running;
    const last = this.state.lastRun;
    if (last && last.digest === digest && last.finishedAt === undefined) {
      last.finishedAt = this.host.now().toISOString();
      last.succeeded = false;
      last.logTail = [
        ...last.logTail,
        '[wheelhouse] result unknown: the engine restarted while it ran; it runs again',
      ];
    }
    this.host.store.saveSoon(this.state);
  }

  private persist(): void {
    this.state.updatedAt = this.host.now().toISOString();
    this.host.store.save(this.state);
  }
}
