// Core: the words of Wheelhouse as types, and the ports its parts plug into. Imports nothing.
export * from './artifact.js';
export * from './config.js';
export * from './delivery/index.js';
export * from './errors.js';
export * from './events.js';
export * from './health.js';
export * from './logger.js';
export * from './message-text.js';
export * from './ports/chat.js';
export * from './ports/driver.js';
export * from './ports/engine.js';
export * from './ports/kinds.js';
export * from './ports/source.js';
export * from './ports/store.js';
export * from './records.js';
export * from './resource.js';
export * from './sync.js';
