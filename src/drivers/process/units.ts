import type { DesiredResource } from '../../core/index.js';
import type { FileUnit } from './file-unit.js';
import type { JobUnit } from './job-unit.js';
import type { ProcessDriverOptions } from './options.js';
import type { ProcessUnit, UnitHost } from './process-unit.js';

/** One resource the process driver manages, of any of its kinds. */
export type Unit = ProcessUnit | JobUnit | FileUnit;

/** Where a resource is named in errors: its app and key. */
export type Where = { app: string; resource: string };

/**
 * What the per-kind apply modules (`process-apply`, `job-apply`, `file-apply`) need from the
 * driver: its settings, the units it tracks and how to register a new one.
 */
export interface UnitRegistry {
  readonly target: string;
  readonly options: ProcessDriverOptions;
  readonly stateDir: string;
  readonly host: UnitHost;
  /** Absolute path → key of the File resource that writes it. */
  readonly fileOwners: ReadonlyMap<string, string>;
  get(key: string): Unit | undefined;
  register<U extends Unit>(unit: U): U;
  /** Follows a File's path for edits by hand (none before the driver started). */
  watchFile(path: string, key: string): void;
  /** Forgets a path a File no longer writes. */
  releaseFile(path: string): void;
}

/** The state fields every kind's new record starts with. */
export function newRecordBase(units: UnitRegistry, resource: DesiredResource) {
  return {
    key: resource.key,
    app: resource.app,
    name: resource.metadata.name,
    updatedAt: units.host.now().toISOString(),
  };
}

/** The unit already tracked for `key` when it is of the wanted kind, else a new one, registered. */
export function unitOfKind<U extends Unit>(
  units: UnitRegistry,
  key: string,
  kind: abstract new (...args: never[]) => U,
  create: () => U,
): U {
  const existing = units.get(key);
  return existing instanceof kind ? existing : units.register(create());
}
