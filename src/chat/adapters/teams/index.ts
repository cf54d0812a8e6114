// Microsoft Teams through the Bot Framework: verified activities in, Adaptive Cards out through the connector.
export { type Activity, activitySchema, clickOf, splitConversationId, textOf, userOf } from './activity.js';
export {
  createTeamsAdapter,
  TEAMS_PLATFORM,
  type TeamsAdapter,
  type TeamsAdapterDeps,
  type TeamsAdapterOptions,
  teamsAdapterFactory,
} from './adapter.js';
export { type Connector, type ConnectorTarget, createConnector } from './connector.js';
export {
  type ConversationReference,
  type ConversationStore,
  createConversationStore,
} from './conversations.js';
export { TEAMS_PATH, teamsEndpoint } from './endpoint.js';
export { createOpenIdKeys, type OpenIdKeys, type SigningKey } from './openid-keys.js';
export {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  type CardElement,
  renderTeamsMessage,
  TEAMS_LIMITS,
  type TeamsRendered,
  type TeamsRenderOptions,
} from './render.js';
export { parseServiceUrlPattern, serviceUrlAllowed } from './service-urls.js';
export {
  BOT_FRAMEWORK_ISSUER,
  BOT_FRAMEWORK_OPENID_METADATA,
  parseTeamsSettings,
  TEAMS_SERVICE_URLS,
  type TeamsSettings,
  teamsSettingsSchema,
} from './settings.js';
export { createTokenClient, type TokenClient } from './token-client.js';
export {
  CLOCK_SKEW_SECONDS,
  createTokenVerifier,
  type TokenCheck,
  type TokenVerifier,
} from './verify-token.js';
