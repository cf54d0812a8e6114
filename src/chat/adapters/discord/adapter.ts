import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ChatAdapter,
  type ChatHandler,
  type ChatMessage,
  errorMessage,
  type HttpEndpoint,
  type InboundRequest,
  type InboundResponse,
  type MessageRef,
} from '../../../core/index.js';
import { createInFlight, deliveryCheck } from '../../../util/index.js';
import type { ChatAdapterDeps } from '../deps.js';
import { createDiscordApi, type DiscordApi, DiscordApiError, type DiscordMessage } from './api.js';
import { type CommandSpec, type InteractionOption, interactionText } from './commands.js';
import { parseCustomId, renderDiscord } from './render.js';
import { type DiscordConfig, parseDiscordSettings } from './settings.js';
import { discordPublicKey, verifyDiscordRequest } from './verify.js';

export const DISCORD_PLATFORM = 'discord';
export const DISCORD_INTERACTIONS_PATH = '/chat/discord/interactions';

/** What the registry hands the adapter, and what tests may replace. */
export interface DiscordAdapterDeps extends ChatAdapterDeps {
  /** The Discord API client (tests); default: one for `apiBaseUrl`. */
  api?: DiscordApi;
  now?: () => number;
}

export interface DiscordAdapter extends ChatAdapter {
  readonly config: DiscordConfig;
  /** Resolves when every interaction handed to the chat core so far has settled. */
  idle(): Promise<void>;
}

/** Interaction types and callback types (Discord's numbers). */
const INTERACTION = { PING: 1, APPLICATION_COMMAND: 2, MESSAGE_COMPONENT: 3 } as const;
const CALLBACK = {
  PONG: 1,
  CHANNEL_MESSAGE: 4,
  DEFERRED_CHANNEL_MESSAGE: 5,
  DEFERRED_UPDATE_MESSAGE: 6,
} as const;
const EPHEMERAL = 64;
/** Interaction tokens work for 15 minutes; stop using them a little earlier. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

interface Interaction {
  id: string;
  application_id: string;
  type: number;
  token: string;
  channel_id?: string;
  channel?: { id: string };
  member?: { user?: { id: string; username?: string } };
  user?: { id: string; username?: string };
  data?: { name?: string; options?: InteractionOption[]; custom_id?: string; component_type?: number };
  message?: {
    id: string;
    channel_id?: string;
    interaction_metadata?: { id: string };
    interaction?: { id: string };
  };
}

/** A live interaction token, and whether its deferred @original reply is still to be written. */
interface Token {
  token: string;
  at: number;
  originalPending: boolean;
  /** The id of the token's @original message, once known (a clicked message; an edited deferred reply). */
  original?: string;
}

const json = (status: number, body: unknown): InboundResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const ephemeral = (content: string): InboundResponse =>
  json(200, {
    type: CALLBACK.CHANNEL_MESSAGE,
    data: { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } },
  });

/**
 * Discord through its interactions endpoint: every request is verified (Ed25519 signature over
 * timestamp + body, timestamps within the skew, the configured application, no replays), slash
 * commands are acknowledged at once with a deferred response and answered by editing it,
 * progress edits the same message, and button clicks (message components) are acknowledged
 * with a deferred update and decided by the chat core like a typed `approve`.
 */
export function createDiscordAdapter(
  deps: DiscordAdapterDeps,
  commands: readonly CommandSpec[],
): DiscordAdapter {
  const config = parseDiscordSettings(deps.settings, deps.env);
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const key = discordPublicKey(config.publicKey);
  const api =
    deps.api ??
    createDiscordApi({
      baseUrl: config.apiBaseUrl,
      applicationId: config.applicationId,
      ...(config.botToken ? { botToken: config.botToken } : {}),
    });
  /** Thread (the slash command's interaction id) → the newest usable interaction token. */
  const threads = new Map<string, Token>();
  /** Message id → the token that can edit it. */
  const messages = new Map<string, Token>();
  /** Thread → the id of its first message (for replies once the tokens have expired). */
  const roots = new Map<string, string>();
  /** Interaction ids already received (the store's, so a restart remembers them): a replay is refused. */
  const markDelivered = deliveryCheck(deps.store, 2 * config.maxClockSkewSeconds * 1000);
  const inFlight = createInFlight();
  let handler: ChatHandler | undefined;

  const remember = <V>(map: Map<string, V>, id: string, value: V) => {
    map.set(id, value);
    if (map.size > 10_000) map.delete(map.keys().next().value ?? id);
  };
  const fresh = (t: Token | undefined): t is Token => t !== undefined && now() - t.at < TOKEN_LIFETIME_MS;

  /** Hand work to the chat core after the HTTP answer went out (Discord needs the ack first). */
  function later(work: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err) => log.error({ err: errorMessage(err) }, 'Discord interaction failed'));
    void inFlight.track(run);
  }

  function userOf(interaction: Interaction): string | undefined {
    return interaction.member?.user?.id ?? interaction.user?.id;
  }

  async function handle(request: InboundRequest): Promise<InboundResponse> {
    const verdict = verifyDiscordRequest(key, request, {
      nowMs: now(),
      maxSkewSeconds: config.maxClockSkewSeconds,
    });
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, 'refused a Discord interaction');
      return json(401, { error: `invalid request signature: ${verdict.reason}` });
    }
    let interaction: Interaction;
    try {
      interaction = JSON.parse(request.rawBody.toString('utf8')) as Interaction;
    } catch {
      return json(400, { error: 'the body is not JSON' });
    }
    if (interaction.application_id !== config.applicationId) {
      log.warn(
        { application: interaction.application_id },
        'refused a Discord interaction for another application',
      );
      return json(401, { error: 'this interaction is for another application' });
    }
    if (interaction.type === INTERACTION.PING) return json(200, { type: CALLBACK.PONG });
    if (typeof interaction.id !== 'string' || typeof interaction.token !== 'string') {
      return json(400, { error: 'the interaction has no id or token' });
    }
    if (!(await markDelivered(DISCORD_PLATFORM, interaction.id))) {
      log.warn({ interaction: interaction.id }, 'refused a replayed Discord interaction');
      return json(409, { error: 'this interaction was already received' });
    }
    const user = userOf(interaction);
    const channel = interaction.channel_id ?? interaction.channel?.id;
    const h = handler;
    if (!user || !channel || !h) return ephemeral('Wheelhouse cannot take this interaction here.');

    if (interaction.type === INTERACTION.APPLICATION_COMMAND) {
      const text = interactionText(commands, interaction.data?.options);
      if (text === undefined) {
        return ephemeral(
          `Wheelhouse does not know this command; the registered commands are out of date — run \`wheelhouse chat register discord\`.`,
        );
      }
      remember(threads, interaction.id, { token: interaction.token, at: now(), originalPending: true });
      later(() => h.onMessage({ platform: DISCORD_PLATFORM, channel, user, text, ts: interaction.id }));
      return json(200, { type: CALLBACK.DEFERRED_CHANNEL_MESSAGE });
    }

    if (interaction.type === INTERACTION.MESSAGE_COMPONENT) {
      const action = parseCustomId(interaction.data?.custom_id ?? '');
      const message = interaction.message;
      if (!action || !message) return ephemeral('This button is not one of Wheelhouse’s.');
      const thread = message.interaction_metadata?.id ?? message.interaction?.id ?? message.id;
      const token: Token = {
        token: interaction.token,
        at: now(),
        originalPending: false,
        original: message.id,
      };
      // The click's token edits the clicked message, and posts follow-ups in its thread.
      remember(messages, message.id, token);
      remember(threads, thread, token);
      later(() =>
        h.onAction({
          platform: DISCORD_PLATFORM,
          user,
          action: action.action,
          value: action.value,
          message: { platform: DISCORD_PLATFORM, channel, thread, id: message.id },
        }),
      );
      return json(200, { type: CALLBACK.DEFERRED_UPDATE_MESSAGE });
    }
    return json(400, { error: `interaction type ${interaction.type} is not handled` });
  }

  /** The deferred reply may be edited a moment after our answer reached Discord: retry briefly. */
  async function editOriginal(token: string, message: ChatMessage): Promise<DiscordMessage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await api.editOriginal(token, renderDiscord(message));
      } catch (err) {
        const notYet = err instanceof DiscordApiError && err.status === 404 && attempt < 6;
        if (!notYet) throw err;
        await sleep(100 * attempt);
      }
    }
  }

  const endpoint: HttpEndpoint = { method: 'POST', path: DISCORD_INTERACTIONS_PATH, handle };

  const adapter: DiscordAdapter = {
    platform: DISCORD_PLATFORM,
    config,
    endpoints: [endpoint],
    async start(h) {
      handler = h;
    },
    async stop() {
      await adapter.idle();
      handler = undefined;
    },
    async post(target, message): Promise<MessageRef> {
      const token = target.thread ? threads.get(target.thread) : undefined;
      let sent: DiscordMessage;
      let via: Token | undefined;
      if (fresh(token)) {
        if (token.originalPending) {
          token.originalPending = false;
          sent = await editOriginal(token.token, message);
          token.original = sent.id;
        } else {
          sent = await api.followUp(token.token, renderDiscord(message));
        }
        via = token;
      } else {
        const root = target.thread ? (roots.get(target.thread) ?? target.thread) : undefined;
        sent = await api.createMessage(target.channel, {
          ...renderDiscord(message),
          ...(root ? { message_reference: { message_id: root, fail_if_not_exists: false } } : {}),
        });
      }
      if (via) remember(messages, sent.id, via);
      const thread = target.thread ?? sent.id;
      if (!roots.has(thread)) remember(roots, thread, sent.id);
      return { platform: DISCORD_PLATFORM, channel: target.channel, thread, id: sent.id };
    },
    async update(ref, message) {
      const token = messages.get(ref.id);
      if (fresh(token)) {
        if (token.original === ref.id) await api.editOriginal(token.token, renderDiscord(message));
        else await api.editFollowUp(token.token, ref.id, renderDiscord(message));
        return;
      }
      if (!api.hasBotToken) {
        throw new DiscordApiError(
          401,
          undefined,
          `cannot edit Discord message ${ref.id}: its interaction token expired and chat.discord.botTokenEnv is not set`,
        );
      }
      await api.editMessage(ref.channel, ref.id, renderDiscord(message));
    },
    async idle() {
      await inFlight.idle();
    },
  };
  return adapter;
}
