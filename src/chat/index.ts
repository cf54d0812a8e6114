// ChatOps: the control room — commands, the one middleware chain, notifications, platform adapters.
export { type ChatOps, type ChatOpsDeps, createChatOps } from './chatops.js';
