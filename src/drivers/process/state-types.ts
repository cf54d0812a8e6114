import type { HealthCode } from '../../core/index.js';
import type { FileSpec } from './kind-file.js';
import type { JobSpec } from './kind-job.js';
import type { ProcessSpec } from './kind-process.js';

/** How a process ended; `code` and `signal` are null when it was not our child (re-adopted). */
export interface ExitRecord {
  code: number | null;
  signal: string | null;
  at: string;
  /** Set when the process could not even be started (missing program, missing secret). */
  error?: string;
}

/** One replica of a Process as recorded on disk. Secret values are never recorded. */
export interface ReplicaRecord {
  index: number;
  /** The spec this replica was started with (a roll may leave replicas on different specs). */
  spec: ProcessSpec;
  specHash: string;
  /** Absolute working directory it was started in (inside the checkout of its revision). */
  cwd: string;
  revision: string;
  pid: number | null;
  /** `/proc/<pid>/stat` field 22, to tell our process from a reused pid. */
  startTime: string | null;
  startedAt: string;
  restarts: number;
  consecutiveFailures: number;
  lastExit?: ExitRecord;
  /** Stopped on purpose (`teardown`): the supervisor leaves it stopped. */
  stopped?: boolean;
  /** Last known health, so a re-adopted replica does not flap to Progressing. */
  health?: HealthCode;
  logs: { stdout: string; stderr: string };
  /**
   * The log pump writing `logs` (log-pump.ts); absent for replicas an older version started with
   * their output going straight to the files (the supervisor rotates those by copy-truncate).
   */
  logPump?: { pid: number; startTime: string | null };
}

export interface ProcessState {
  kind: 'Process';
  key: string;
  app: string;
  name: string;
  /** The spec of the last apply (the roll's goal). */
  spec: ProcessSpec;
  replicas: ReplicaRecord[];
  /** Why the last roll stopped, until a roll completes. */
  rollError?: string;
  updatedAt: string;
}

export interface JobRun {
  digest: string;
  revision: string;
  startedAt: string;
  finishedAt?: string;
  succeeded?: boolean;
  exitCode?: number | null;
  signal?: string | null;
  timedOut?: boolean;
  logTail: string[];
  /** The log pump writing this run's job.log (absent for runs from before Jobs used one). */
  logPump?: { pid: number; startTime: string | null };
}

export interface JobState {
  kind: 'Job';
  key: string;
  app: string;
  name: string;
  spec: JobSpec;
  /** The app digest of the last successful run. */
  appliedDigest?: string;
  lastRun?: JobRun;
  /** A run in progress (so a restarted engine can find it). */
  running?: { pid: number; startTime: string; digest: string };
  log: string;
  updatedAt: string;
}

export interface FileState {
  kind: 'File';
  key: string;
  app: string;
  name: string;
  spec: FileSpec;
  /** Absolute path written. */
  path: string;
  /** sha256 of the content written. */
  hash: string;
  mode: string;
  /** inode:size:mtime:mode after our write; a different stat means someone touched the file. */
  stat: string;
  updatedAt: string;
}

export type ResourceState = ProcessState | JobState | FileState;
