import type { CiServerSpec } from '../core/index.js';

/** Where a build is in its life; the last three are final. */
export type BuildPhase = 'queued' | 'running' | 'success' | 'failure' | 'cancelled';

export const FINAL_PHASES: readonly BuildPhase[] = ['success', 'failure', 'cancelled'];

/**
 * One build (Jenkins build, GitHub workflow run, GitLab pipeline) as Wheelhouse tracks it.
 * `run` is the server's own number or id once it has one; a Jenkins build waits in the queue
 * (`queue` holds the queue item's URL) before it gets a number.
 */
export interface BuildHandle {
  server: string;
  job: string;
  run?: string;
  queue?: string;
}

export interface BuildState {
  phase: BuildPhase;
  /** The build's page on the CI server, once known. */
  url?: string;
  run?: string;
  /** Stage or step running now (or where it failed), where the API says it. */
  step?: string;
  /** Why it waits (Jenkins' queue reason). */
  why?: string;
  startedAt?: string;
  durationMs?: number;
}

export interface BuildSummary extends BuildState {
  handle: BuildHandle;
}

/** The port every CI server kind implements (`src/ci/<kind>.ts`). */
export interface CiClient {
  readonly spec: CiServerSpec;
  /** Start a job with parameters; resolves once the server has accepted it. */
  start(job: string, params: Readonly<Record<string, string>>): Promise<BuildHandle>;
  /** Where the build is now; may fill in `handle.run` once the server assigned one. */
  state(handle: BuildHandle): Promise<BuildState>;
  /** The last lines of its console output (of the failed job, where a run has several). */
  consoleTail(handle: BuildHandle, lines: number): Promise<string[]>;
  cancel(handle: BuildHandle): Promise<void>;
  /** The job's most recent builds, newest first. */
  recent(job: string, limit: number): Promise<BuildSummary[]>;
}

/** `jenkins/deploy#12`: how a build is written in chat, and how `cancel` takes it. */
export function buildId(handle: BuildHandle): string {
  const run = handle.run ?? (handle.queue ? `queued-${lastPathNumber(handle.queue)}` : '?');
  return `${handle.server}/${handle.job}#${run}`;
}

function lastPathNumber(url: string): string {
  return /(\d+)\/?$/.exec(url)?.[1] ?? url;
}
