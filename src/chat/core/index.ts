// ChatOps core: the neutral message model, the one middleware chain every adapter feeds, replies.
export { compose, type Middleware } from './compose.js';
export type { ChatRequest } from './context.js';
export type { ChatDeps } from './deps.js';
export {
  buttonCommand,
  buttons,
  code,
  context,
  fields,
  message,
  plainText,
  text,
  truncate,
} from './message.js';
export { buildPipeline } from './pipeline.js';
export {
  approvalButtons,
  approvedRunMessage,
  awaitingMessage,
  decidedRequestMessage,
  decisionMessage,
  failedMessage,
  refusedMessage,
  resultMessage,
  workingMessage,
} from './render-result.js';
export { type ChatService, type ChatServiceOptions, createChatService } from './service.js';
export { stripPrefix } from './steps/normalize.js';
export { createThreadReply, type ThreadReply } from './thread.js';
