// The engine: wires source, render, diff, reconcile, drivers and store behind one facade.
export { createEngine, type EngineDeps, type EngineInternals, type EngineOptions } from './create-engine.js';
export { createEventBus } from './event-bus.js';
