import type { Driver } from '../core/index.js';

/**
 * The driver as one sync sees it when several replicas share the apps: every apply and remove
 * first asks `fence` (the database) whether this replica still holds the app's lease with the
 * token the sync started with. After another replica took the app over, nothing more is applied.
 */
export function fencedDriver(driver: Driver, fence: () => Promise<void>): Driver {
  const apply: Driver['apply'] = async (resource, ctx) => {
    await fence();
    return driver.apply(resource, ctx);
  };
  const remove: Driver['remove'] = async (resource, ctx) => {
    await fence();
    return driver.remove(resource, ctx);
  };
  return new Proxy(driver, {
    get(target, prop) {
      if (prop === 'apply') return apply;
      if (prop === 'remove') return remove;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
