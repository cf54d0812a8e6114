import { type DriverFactory, type KindDefinition, type KindRegistry, silentLogger } from '../core/index.js';
import { createDockerDriver } from './docker/index.js';
import { createProcessDriver } from './process/index.js';

/** One line per driver. */
export const driverFactories: Readonly<Record<string, DriverFactory>> = {
  process: createProcessDriver,
  docker: createDockerDriver,
};

export const driverNames = (): string[] => Object.keys(driverFactories);

/**
 * Kinds per driver, without starting any driver: a factory is called with inert deps only to
 * read its `kinds` (factories must not do I/O before `start()`).
 */
export function createKindRegistry(
  kindsByDriver: Readonly<Record<string, readonly KindDefinition[]>> = builtinKinds(),
): KindRegistry {
  return {
    kindsFor: (driver) => kindsByDriver[driver] ?? [],
    driversServing: (kind) =>
      Object.entries(kindsByDriver)
        .filter(([, kinds]) => kinds.some((k) => k.kind === kind))
        .map(([name]) => name),
  };
}

function builtinKinds(): Record<string, readonly KindDefinition[]> {
  const out: Record<string, readonly KindDefinition[]> = {};
  for (const [name, factory] of Object.entries(driverFactories)) {
    out[name] = factory({ target: name, options: {}, stateDir: '', log: silentLogger, env: {} }).kinds;
  }
  return out;
}
