import type { ControlConfig, Driver, DriverEvent, RepoRef, ValidationIssue } from '../core/index.js';
import type { Redactor } from '../util/index.js';
import type { EngineContext } from './context.js';
import type { ControlTracker } from './control-status.js';
import type { EngineDeps, EngineOptions } from './create-engine.js';
import type { AppRuntime } from './runtime.js';
import type { Ticker } from './scheduler.js';

/** The apps whose source is one repository: polled together, one fetch per tick. */
export interface RepoGroup {
  key: string;
  repo: RepoRef;
  control: boolean;
  apps: Set<AppRuntime>;
  ticker: Ticker;
  /** Last resolved revision per ref, for `source.updated`. */
  revisions: Map<string, string>;
}

/**
 * Everything one engine holds, shared by its parts (repo groups, polling, app runtimes, the
 * facade). Built once by `createEngine`; only the engine's own modules read or write it.
 */
export interface EngineState {
  deps: EngineDeps;
  options: EngineOptions;
  ctx: EngineContext;
  now: () => Date;
  shutdown: AbortController;
  /** The control repo and the ref the engine follows; `controlKey` is its normalized URL. */
  control: RepoRef & { ref: string };
  controlKey: string;
  runtimes: Map<string, AppRuntime>;
  groups: Map<string, RepoGroup>;
  /** One started driver per target name, with the target spec it was built from. */
  drivers: Map<string, TargetDriver>;
  unwatch: (() => void)[];
  config: ControlConfig | undefined;
  redactor: Redactor;
  /** Clear values decrypted from SOPS files (masked by `redactor` and every surface). */
  secretValues: Set<string>;
  controlRevision: string | undefined;
  /** The wheelhouse.yaml text the config in force was parsed from (reused when unchanged). */
  controlText?: string;
  /** With `controlRepo.verify`: the control revision last verified, and the one last refused. */
  controlTrust: { verified?: string; signer?: string; refused?: string };
  configIssues: ValidationIssue[];
  /** What the followed wheelhouse.yaml's state is (loaded, refused, unreadable), for every surface. */
  controlStatus: ControlTracker;
  /** Turns supervisor restarts reported by drivers into activity entries. */
  recordRestart: (event: DriverEvent) => void;
  started: boolean;
  stopped: boolean;
}

export interface TargetDriver {
  driver: Driver;
  /** The target's driver and options as JSON: when wheelhouse.yaml changes them, the driver is rebuilt. */
  spec: string;
  unwatch?: () => void;
}
