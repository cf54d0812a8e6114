// Slack: HTTP (Events API, slash command, interactivity) or Socket Mode, Block Kit replies in threads.
export {
  createSlackAdapter,
  type SlackAdapter,
  type SlackAdapterDeps,
  type SlackAdapterOptions,
  slackAdapterFactory,
} from './adapter.js';
export { SLACK_PATHS, slackEndpoints } from './endpoints.js';
export { type BotIdentity, createSlackReceiver, SLACK_PLATFORM, type SlackReceiver } from './receiver.js';
export {
  actionOfId,
  renderSlackMessage,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackButton,
  type SlackRendered,
  type SlackRenderOptions,
  type SlackText,
} from './render.js';
export { parseSlackSettings, SLACK_API_URL, type SlackSettings, slackSettingsSchema } from './settings.js';
export { MAX_CLOCK_SKEW_MS, MAX_REQUEST_AGE_MS, slackSignature, verifySlackRequest } from './signature.js';
export { escapeSlack, slackToPlain } from './text.js';
export { createSlackApi, type SlackApi } from './web-api.js';
