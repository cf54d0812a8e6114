import {
  type Driver,
  type DriverFactory,
  errorMessage,
  type ForeignManifests,
  type KindDefinition,
  type KindRegistry,
  silentLogger,
  type TargetSpec,
} from '../core/index.js';
import { createDockerDriver } from './docker/index.js';
import { createKubernetesDriver } from './kubernetes/index.js';
import { createProcessDriver } from './process/index.js';

/** One line per driver. */
export const driverFactories: Readonly<Record<string, DriverFactory>> = {
  process: createProcessDriver,
  docker: createDockerDriver,
  kubernetes: createKubernetesDriver,
};

export const driverNames = (): string[] => Object.keys(driverFactories);

/**
 * Whether a target's driver accepts its options, by building the driver without starting it
 * (factories parse their options and do no I/O): the refusal, naming the fields, or nothing.
 * No environment is passed, so `$DOCKER_HOST` of the validating machine is not judged.
 */
export function targetOptionsRefusal(target: TargetSpec): string | undefined {
  const factory = driverFactories[target.driver];
  if (!factory) return undefined; // an unknown driver is reported by the driver-name check
  try {
    factory({ target: target.name, options: target.options, stateDir: '', log: silentLogger, env: {} });
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/**
 * Kinds per driver, without starting any driver: a factory is called with inert deps only to
 * read its `kinds` and `foreign` manifests (factories must not do I/O before `start()`).
 */
export function createKindRegistry(
  kindsByDriver: Readonly<Record<string, readonly KindDefinition[]>> = builtinKinds(),
  foreignByDriver: Readonly<Record<string, ForeignManifests>> = builtinForeign(),
): KindRegistry {
  return {
    kindsFor: (driver) => kindsByDriver[driver] ?? [],
    driversServing: (kind) =>
      Object.entries(kindsByDriver)
        .filter(([, kinds]) => kinds.some((k) => k.kind === kind))
        .map(([name]) => name),
    foreignFor: (driver) => foreignByDriver[driver],
  };
}

function inert(name: string, factory: DriverFactory): Driver {
  return factory({ target: name, options: {}, stateDir: '', log: silentLogger, env: {} });
}

function builtinKinds(): Record<string, readonly KindDefinition[]> {
  const out: Record<string, readonly KindDefinition[]> = {};
  for (const [name, factory] of Object.entries(driverFactories)) out[name] = inert(name, factory).kinds;
  return out;
}

function builtinForeign(): Record<string, ForeignManifests> {
  const out: Record<string, ForeignManifests> = {};
  for (const [name, factory] of Object.entries(driverFactories)) {
    const foreign = inert(name, factory).foreign;
    if (foreign) out[name] = foreign;
  }
  return out;
}
