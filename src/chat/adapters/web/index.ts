// The built-in chat (the embedded default platform): rooms in the store, HTTP routes, live updates as events.
export {
  BOT_AUTHOR,
  createWebChatAdapter,
  newMessageId,
  ROOM_NAME,
  WEB_PLATFORM,
  type WebChatAdapter,
  type WebChatOptions,
} from './adapter.js';
export { type ChatMessageView, messageView, type WebChatRouteOptions, webChatRoutes } from './routes.js';
