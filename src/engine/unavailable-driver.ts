import { type Driver, WheelhouseError } from '../core/index.js';

/**
 * Stands in for a target's driver that could not be built or started, so the apps on that target
 * stay listed with the reason (as apps with a problem, never polled or synced) instead of
 * vanishing. Anything asked of it fails with that reason.
 */
export function unavailableDriver(target: string, reason: string): Driver {
  const refuse = (): never => {
    throw new WheelhouseError('DRIVER_FAILED', `target ${target} is not available: ${reason}`, {
      details: { target },
    });
  };
  return {
    name: 'unavailable',
    kinds: [],
    start: async () => undefined,
    stop: async () => undefined,
    observe: async () => refuse(),
    apply: async () => refuse(),
    remove: async () => refuse(),
    health: async () => refuse(),
    logs: () => refuse(),
  };
}
