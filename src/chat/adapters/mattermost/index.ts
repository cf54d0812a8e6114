// Mattermost: slash commands, outgoing webhooks and an optional WebSocket in; REST API v4 posts out; signed buttons.
export { type ActionContext, actionKey, checkContext, signContext } from './action-context.js';
export {
  createMattermostAdapter,
  MATTERMOST_PATHS,
  MATTERMOST_PLATFORM,
  type MattermostAdapter,
  type MattermostAdapterDeps,
} from './adapter.js';
export {
  createMattermostApi,
  type MattermostApi,
  MattermostApiError,
  type MattermostPost,
  type MattermostUser,
} from './api.js';
export {
  defuseMentions,
  MATTERMOST_MESSAGE_MAX,
  type MattermostAction,
  type MattermostAttachment,
  type MattermostPostBody,
  renderMattermost,
} from './render.js';
export {
  type MattermostConfig,
  type MattermostSettings,
  mattermostSettingsSchema,
  parseMattermostSettings,
} from './settings.js';
export { createMattermostSocket, type MattermostSocket, type PostedEvent } from './websocket.js';
