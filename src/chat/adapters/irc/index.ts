// IRC: a client on node:net/tls that joins channels, takes `!wh` commands and replies with flood control.

export { type AccountTracker, createAccountTracker } from './accounts.js';
export {
  createIrcAdapter,
  IRC_PLATFORM,
  type IrcAdapter,
  type IrcAdapterDeps,
  type IrcCommandInfo,
} from './adapter.js';
export { addressedCommand, commandWord } from './address.js';
export { createIrcConnection, type IrcConnection, type IrcConnectionOptions } from './connection.js';
export { formatLine, type IrcLine, ircLower, nickOf, parseLine } from './irc-line.js';
export { type IrcRenderOptions, renderIrc } from './render.js';
export { type IrcConfig, type IrcSettings, ircSettingsSchema, parseIrcSettings } from './settings.js';
export { IRC_LINE_BYTES, splitForIrc, splitLine, textBudget, utf8Length } from './split.js';
