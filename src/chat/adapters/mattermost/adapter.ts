import { randomBytes } from 'node:crypto';
import {
  type Button,
  type ChatAdapter,
  type ChatHandler,
  type ChatMessage,
  errorMessage,
  type HttpEndpoint,
  type InboundRequest,
  type InboundResponse,
  type IncomingMessage,
  type MessageRef,
} from '../../../core/index.js';
import { createInFlight, deliveryCheck, safeEqual } from '../../../util/index.js';
import type { ChatAdapterDeps } from '../deps.js';
import { actionKey, checkContext, signContext } from './action-context.js';
import { createMattermostApi, type MattermostApi, MattermostApiError } from './api.js';
import { type MattermostAction, renderMattermost } from './render.js';
import { type MattermostConfig, parseMattermostSettings } from './settings.js';
import { createMattermostSocket, type MattermostSocket, type PostedEvent } from './websocket.js';

export const MATTERMOST_PLATFORM = 'mattermost';
export const MATTERMOST_PATHS = {
  command: '/chat/mattermost/command',
  webhook: '/chat/mattermost/webhook',
  actions: '/chat/mattermost/actions',
} as const;

/** What the registry hands the adapter, and what tests may replace. */
export interface MattermostAdapterDeps extends ChatAdapterDeps {
  /** The REST client (tests); default: one for `url`. */
  api?: MattermostApi;
  now?: () => number;
}

export interface MattermostAdapter extends ChatAdapter {
  readonly config: MattermostConfig;
  /** Resolves when the WebSocket is connected (with `websocket: true`) and the bot knows who it is. */
  ready(): Promise<void>;
  idle(): Promise<void>;
}

const json = (status: number, body: unknown): InboundResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Form or JSON bodies (Mattermost sends either, as configured), as flat string fields. */
function fieldsOf(request: InboundRequest): Record<string, unknown> | undefined {
  const type = request.headers['content-type'] ?? '';
  const text = request.rawBody.toString('utf8');
  if (type.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function tokenMatches(given: string | undefined, accepted: readonly string[]): boolean {
  if (!given) return false;
  // Compare with every accepted token, in constant time each, without stopping early.
  let ok = false;
  for (const token of accepted) ok = safeEqual(given, token) || ok;
  return ok;
}

/**
 * Mattermost: commands arrive by slash command (`/wh status`), outgoing webhook (a trigger word)
 * or, with `websocket: true`, by @mention and direct message over the WebSocket API. Tokens are
 * compared in constant time. The bot posts and edits through REST API v4 with `root_id` threads;
 * approval buttons carry a context Wheelhouse signs, so a forged click is refused.
 */
export function createMattermostAdapter(deps: MattermostAdapterDeps): MattermostAdapter {
  const config = parseMattermostSettings(deps.settings, deps.env, deps.publicUrl);
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const key = actionKey(config.actionSecret, deps.stateDir);
  const api = deps.api ?? createMattermostApi({ url: config.url, token: config.botToken });
  /** Threads that are not posts (a slash command's trigger id) → the root post the bot made for it. */
  const roots = new Map<string, string>();
  const synthetic = new Set<string>();
  /** Post id → its thread, for clicks on the bot's buttons. */
  const threadOfPost = new Map<string, string>();
  /** Clicks (trigger ids) already taken, remembered by the store across restarts: a replay is refused. */
  const markClicked = deliveryCheck(deps.store, config.actionMaxAgeSeconds * 1000);
  const inFlight = createInFlight();
  let handler: ChatHandler | undefined;
  let socket: MattermostSocket | undefined;
  let bot: { id: string; username: string } | undefined;
  let whoAmI: Promise<void> | undefined;

  const remember = <V>(map: Map<string, V>, id: string, value: V) => {
    map.set(id, value);
    if (map.size > 10_000) map.delete(map.keys().next().value ?? id);
  };

  function track(work: () => Promise<void>): void {
    const run = work().catch((err) => log.error({ err: errorMessage(err) }, 'Mattermost request failed'));
    void inFlight.track(run);
  }

  function dispatch(message: IncomingMessage): void {
    const h = handler;
    if (h) track(() => h.onMessage(message));
  }

  function actionFor(channel: string) {
    return (b: Button): MattermostAction | undefined => {
      if (!config.publicUrl) return undefined;
      const context = signContext(key, {
        action: b.action,
        value: b.value,
        channel,
        issued: Math.floor(now() / 1000),
      });
      return {
        id: `${b.action.replace(/[^A-Za-z0-9]/g, '')}${b.value.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60),
        name: b.label,
        type: 'button',
        style: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
        integration: { url: `${config.publicUrl}${MATTERMOST_PATHS.actions}`, context: { ...context } },
      };
    };
  }

  /** Strip a leading `@bot` (and `:`/`,`) from a message addressed to the bot. */
  function withoutMention(text: string): string {
    const name = bot?.username;
    if (!name) return text.trim();
    const re = new RegExp(`^\\s*@${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b[\\s:,]*`, 'i');
    return text.replace(re, '').trim();
  }

  async function onSlash(request: InboundRequest): Promise<InboundResponse> {
    const form = fieldsOf(request);
    const header = /^Token\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!form || !tokenMatches(str(form.token) ?? header, config.slashTokens)) {
      log.warn('refused a Mattermost slash command with a wrong token');
      return json(401, { error: 'invalid slash command token' });
    }
    const channel = str(form.channel_id);
    const user = str(form.user_id);
    if (!channel || !user) return json(400, { error: 'channel_id and user_id are required' });
    const text = String(form.text ?? '').trim() || 'help';
    // A slash command is no post: the bot's first reply starts the thread.
    const ts = str(form.trigger_id) ?? `slash-${randomBytes(8).toString('hex')}`;
    synthetic.add(ts);
    dispatch({ platform: MATTERMOST_PLATFORM, channel, user, text, ts });
    return json(200, {});
  }

  async function onWebhook(request: InboundRequest): Promise<InboundResponse> {
    const body = fieldsOf(request);
    if (!body || !tokenMatches(str(body.token), config.webhookTokens)) {
      log.warn('refused a Mattermost outgoing webhook with a wrong token');
      return json(401, { error: 'invalid webhook token' });
    }
    const at = Number(body.timestamp);
    if (!Number.isFinite(at) || Math.abs(now() - at) > config.maxClockSkewSeconds * 1000) {
      return json(401, { error: 'the post is too old or in the future' });
    }
    const channel = str(body.channel_id);
    const user = str(body.user_id);
    const post = str(body.post_id);
    if (!channel || !user || !post)
      return json(400, { error: 'channel_id, user_id and post_id are required' });
    await whoAmI;
    if (bot && user === bot.id) return json(200, {});
    let text = String(body.text ?? '').trim();
    const trigger = str(body.trigger_word);
    if (trigger && text.toLowerCase().startsWith(trigger.toLowerCase())) text = text.slice(trigger.length);
    dispatch({
      platform: MATTERMOST_PLATFORM,
      channel,
      user,
      text: withoutMention(text) || 'help',
      ts: post,
      permalink: `${config.url}/_redirect/pl/${post}`,
    });
    return json(200, {});
  }

  async function onAction(request: InboundRequest): Promise<InboundResponse> {
    const body = fieldsOf(request);
    const channel = str(body?.channel_id);
    const user = str(body?.user_id);
    const post = str(body?.post_id);
    if (!body || !channel || !user || !post)
      return json(400, { error: 'channel_id, user_id and post_id are required' });
    const verdict = checkContext(key, body.context, {
      channel,
      nowSeconds: Math.floor(now() / 1000),
      maxAgeSeconds: config.actionMaxAgeSeconds,
    });
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, 'refused a Mattermost button click');
      return json(401, { error: `refused: ${verdict.reason}` });
    }
    const trigger = str(body.trigger_id);
    if (trigger) {
      if (!(await markClicked(`${MATTERMOST_PLATFORM}:click`, trigger)))
        return json(409, { error: 'this click was already received' });
    }
    const h = handler;
    if (h) {
      const { action, value } = verdict.context;
      const thread = threadOfPost.get(post) ?? post;
      track(() =>
        h.onAction({
          platform: MATTERMOST_PLATFORM,
          user,
          action,
          value,
          message: { platform: MATTERMOST_PLATFORM, channel, thread, id: post },
        }),
      );
    }
    return json(200, {});
  }

  function onPosted(event: PostedEvent): void {
    const { post } = event;
    if (!bot || post.user_id === bot.id) return;
    const direct = event.channelType === 'D';
    if (!direct && !event.mentions.includes(bot.id)) return;
    const text = withoutMention(post.message);
    dispatch({
      platform: MATTERMOST_PLATFORM,
      channel: post.channel_id,
      ...(post.root_id ? { thread: post.root_id } : {}),
      user: post.user_id,
      text: text || 'help',
      ts: post.id,
      permalink: `${config.url}/_redirect/pl/${post.id}`,
    });
  }

  const endpoints: HttpEndpoint[] = [];
  if (config.slashTokens.length > 0)
    endpoints.push({ method: 'POST', path: MATTERMOST_PATHS.command, handle: onSlash });
  if (config.webhookTokens.length > 0)
    endpoints.push({ method: 'POST', path: MATTERMOST_PATHS.webhook, handle: onWebhook });
  endpoints.push({ method: 'POST', path: MATTERMOST_PATHS.actions, handle: onAction });

  async function createInThread(channel: string, thread: string | undefined, message: ChatMessage) {
    const body = renderMattermost(message, actionFor(channel));
    let root = thread ? (roots.get(thread) ?? (synthetic.has(thread) ? undefined : thread)) : undefined;
    try {
      return await api.createPost({ channel_id: channel, ...body, ...(root ? { root_id: root } : {}) });
    } catch (err) {
      // A reply to a reply: Mattermost threads hang off the root post.
      if (!(root && err instanceof MattermostApiError && err.status === 400)) throw err;
      const parent = await api.getPost(root);
      root = parent.root_id || parent.id;
      return api.createPost({ channel_id: channel, ...body, root_id: root });
    }
  }

  const adapter: MattermostAdapter = {
    platform: MATTERMOST_PLATFORM,
    config,
    endpoints,
    async start(h) {
      handler = h;
      whoAmI = api
        .me()
        .then((me) => {
          bot = { id: me.id, username: me.username };
        })
        .catch((err) =>
          log.error(
            { err: errorMessage(err) },
            'could not read the Mattermost bot account (GET /api/v4/users/me)',
          ),
        );
      if (config.websocket) {
        socket = createMattermostSocket({ url: config.url, token: config.botToken, log, onPosted });
        socket.start();
      }
    },
    async stop() {
      await socket?.stop();
      await adapter.idle();
      handler = undefined;
    },
    async post(target, message): Promise<MessageRef> {
      const post = await createInThread(target.channel, target.thread, message);
      const thread = target.thread ?? post.id;
      if (target.thread && synthetic.has(target.thread) && !roots.has(target.thread)) {
        remember(roots, target.thread, post.root_id || post.id);
      }
      remember(threadOfPost, post.id, thread);
      return { platform: MATTERMOST_PLATFORM, channel: target.channel, thread, id: post.id };
    },
    async update(ref, message) {
      await api.updatePost(ref.id, renderMattermost(message, actionFor(ref.channel)));
    },
    async ready() {
      await whoAmI;
      await socket?.ready();
    },
    async idle() {
      await inFlight.idle();
    },
  };
  return adapter;
}
