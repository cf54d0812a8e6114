import type Docker from 'dockerode';
import { type OwnedLabels, readOwnedLabels } from './labels.js';

/**
 * What the driver keeps of an inspected container: enough to judge health and drift, nothing
 * more (the environment, which may hold secret values, is deliberately not kept).
 */
export interface ContainerState {
  id: string;
  name: string;
  owned: OwnedLabels;
  /** running | restarting | exited | stopped | created | paused | dead | removing ... */
  status: string;
  running: boolean;
  /** The main process's pid on the host while running (0 otherwise, as the engine reports). */
  pid: number;
  exitCode: number;
  /**
   * The exit code of the last run that ended: the engine resets `exitCode` when it restarts a
   * container, so the driver keeps it from the `die` event.
   */
  lastExitCode?: number;
  oomKilled: boolean;
  /** ISO-8601 as reported (zero time when never started/finished). */
  startedAt: string;
  finishedAt: string;
  restartCount: number;
  restartPolicy: string;
  /** Docker's health state when the container has a healthcheck. */
  health?: { status: string; failingStreak: number; lastOutput?: string };
  /** Healthcheck interval in ms when one is configured (and not NONE). */
  healthcheckIntervalMs?: number;
  image: string;
  imageId: string;
  /**
   * When this run started, on this machine's clock (the engine's StartedAt, never later than when
   * the driver first saw it running): how long a container has really been up, despite clock skew.
   */
  runningSince?: number;
}

export function containerStateFromInspect(info: Docker.ContainerInspectInfo): ContainerState | undefined {
  const owned = readOwnedLabels(info.Config?.Labels);
  if (!owned) return undefined;
  const state: ContainerState = {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    owned,
    status: info.State.Status,
    running: info.State.Running,
    pid: info.State.Pid ?? 0,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    startedAt: info.State.StartedAt,
    finishedAt: info.State.FinishedAt,
    restartCount: info.RestartCount ?? 0,
    restartPolicy: info.HostConfig?.RestartPolicy?.Name || 'no',
    image: info.Config.Image,
    imageId: info.Image,
  };
  const check = info.Config.Healthcheck;
  if (check?.Test && check.Test.length > 0 && check.Test[0] !== 'NONE') {
    state.healthcheckIntervalMs = check.Interval ? Math.max(1, Math.round(check.Interval / 1e6)) : 30_000;
  }
  const health = info.State.Health;
  if (health && state.healthcheckIntervalMs !== undefined) {
    const last = health.Log?.[health.Log.length - 1];
    state.health = { status: health.Status, failingStreak: health.FailingStreak ?? 0 };
    if (last?.Output) state.health.lastOutput = last.Output.trim().slice(0, 500);
  }
  return state;
}

/** Milliseconds since the container last started, or undefined when it never did. */
export function uptimeMs(state: ContainerState, now: number): number | undefined {
  if (state.runningSince !== undefined) return Math.max(0, now - state.runningSince);
  const started = Date.parse(state.startedAt);
  if (Number.isNaN(started) || started <= 0) return undefined;
  return Math.max(0, now - started);
}

/** Carry `runningSince` over from the previous sight of the same run, or start it now. */
export function withRunningSince(
  state: ContainerState,
  before: ContainerState | undefined,
  now: number,
): ContainerState {
  if (!state.running) return state;
  if (before?.runningSince !== undefined && before.startedAt === state.startedAt) {
    return { ...state, runningSince: before.runningSince };
  }
  const started = Date.parse(state.startedAt);
  return { ...state, runningSince: Number.isNaN(started) || started <= 0 ? now : Math.min(now, started) };
}
