// Drivers: each folder implements core's Driver port for one kind of target. Adding a driver is
// one folder plus one line in `registry.ts`.
export { createKindRegistry, driverFactories, driverNames, targetOptionsRefusal } from './registry.js';
