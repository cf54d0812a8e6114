// ChatOps: the control room — commands, the one middleware chain, notifications, platform adapters.

export {
  type ChatAdapterDeps,
  type ChatAdapterFactory,
  chatAdapterFactories,
  configuredAdapters,
} from './adapters/registry.js';
export { type ChatOps, type ChatOpsDeps, createChatOps } from './chatops.js';
