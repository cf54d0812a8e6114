import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A Mattermost server, as far as Wheelhouse talks to it, following the published contract
 * (developers.mattermost.com: REST API v4, slash commands, outgoing webhooks, interactive message
 * buttons, the WebSocket API): the bot's REST calls with its bearer token (`POST /api/v4/posts`,
 * `PUT /api/v4/posts/{id}`, `GET /api/v4/posts/{id}`, `GET /api/v4/users/me`), the WebSocket
 * with `authentication_challenge` and `posted` events, and the calls Mattermost makes to
 * integrations: slash commands (form-encoded, with the command's token), outgoing webhooks (JSON,
 * with the webhook's token), and button clicks posted to the action's integration URL with its
 * context (which Mattermost keeps server-side and never shows to clients). It refuses what
 * Mattermost refuses: bad tokens, posts in channels the bot is not in, replies whose root is not
 * a root post, edits of other users' posts or with a mismatched id, messages over 16,383 characters.
 */
export interface EmulatedPost {
  id: string;
  channel_id: string;
  root_id: string;
  user_id: string;
  message: string;
  props: { attachments?: EmulatedAttachment[] } & Record<string, unknown>;
  create_at: number;
  update_at: number;
  edit_at: number;
}

export interface EmulatedAttachment {
  fallback?: string;
  color?: string;
  fields?: { title: string; value: string; short: boolean }[];
  footer?: string;
  actions?: {
    id: string;
    name: string;
    type: string;
    style?: string;
    integration?: { url: string; context?: Record<string, unknown> };
  }[];
}

export interface MattermostUserInfo {
  id: string;
  username: string;
}

export interface MattermostEmulator {
  url: string;
  bot: MattermostUserInfo & { token: string };
  slashToken: string;
  webhookToken: string;
  users: Map<string, MattermostUserInfo>;
  posts: EmulatedPost[];
  requests: { method: string; path: string; status: number }[];
  /** Where integrations are: set once Wheelhouse's server is up. */
  integrations: { command?: string; webhook?: string };
  user(username: string): MattermostUserInfo;
  /** Channels the bot is a member of. */
  join(channel: string): void;
  /** Answer the next `n` API requests with 429. */
  rateLimitNext(n: number): void;
  /** `/wh TEXT` typed by `user` in `channel`. */
  slash(user: string, channel: string, text: string, options?: { token?: string }): Promise<Response>;
  /** A post by `user` that starts with the trigger word, delivered to the outgoing webhook. */
  outgoing(
    user: string,
    channel: string,
    text: string,
    options?: { token?: string; triggerWord?: string; timestamp?: number },
  ): Promise<{ post: EmulatedPost; response: Response }>;
  /** A post by a person (broadcast over the WebSocket; `channelType` D for a direct message). */
  say(
    user: string,
    channel: string,
    message: string,
    options?: { rootId?: string; channelType?: string },
  ): EmulatedPost;
  /** A person clicks a button of a post: Mattermost posts to the action's integration URL. */
  click(
    user: string,
    post: EmulatedPost,
    actionId: string,
    options?: { context?: Record<string, unknown>; triggerId?: string },
  ): Promise<Response>;
  /** The action a person would see, with the integration context Mattermost keeps server-side. */
  actionsOf(post: EmulatedPost): NonNullable<EmulatedAttachment['actions']>;
  thread(rootId: string): EmulatedPost[];
  channel(id: string): EmulatedPost[];
  /** Drop every WebSocket connection (a server restart, a proxy timeout). */
  dropSockets(): number;
  close(): Promise<void>;
}

const MAX_RUNES = 16_383;

/** Mattermost ids: 26 lower-case base-32 characters. */
export function mattermostId(): string {
  const alphabet = 'abcdefghijkmnopqrstuwxyz13456789';
  return Array.from(randomBytes(26), (b) => alphabet[b % alphabet.length]).join('');
}

function error(id: string, message: string, status: number) {
  return {
    status,
    body: { id, message, detailed_error: '', request_id: mattermostId(), status_code: status },
  };
}

export async function startMattermostEmulator(): Promise<MattermostEmulator> {
  const bot = { id: mattermostId(), username: 'wheelhouse', token: mattermostId() };
  const slashToken = mattermostId();
  const webhookToken = mattermostId();
  const users = new Map<string, MattermostUserInfo>([[bot.username, { id: bot.id, username: bot.username }]]);
  const posts: EmulatedPost[] = [];
  const requests: MattermostEmulator['requests'] = [];
  const members = new Set<string>();
  const sockets = new Set<WebSocket>();
  const integrations: MattermostEmulator['integrations'] = {};
  let limited = 0;
  let seq = 0;

  function write(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  function validProps(props: unknown): string | undefined {
    if (props === undefined) return undefined;
    if (typeof props !== 'object' || props === null) return 'props must be an object';
    const attachments = (props as { attachments?: unknown }).attachments;
    if (attachments === undefined) return undefined;
    if (!Array.isArray(attachments)) return 'props.attachments must be a list';
    for (const a of attachments as EmulatedAttachment[]) {
      for (const action of a.actions ?? []) {
        if (!action.id || !/^[A-Za-z0-9]+$/.test(action.id)) return 'an action id must be alphanumeric';
        const url = action.integration?.url ?? '';
        if (!/^https?:\/\//.test(url)) return 'an action needs an integration URL';
      }
    }
    return undefined;
  }

  function broadcast(post: EmulatedPost, channelType: string) {
    const mentions = [...users.values()]
      .filter((u) => new RegExp(`(^|\\W)@${u.username}\\b`).test(post.message))
      .map((u) => u.id);
    const event = {
      event: 'posted',
      data: {
        channel_display_name: post.channel_id,
        channel_name: post.channel_id,
        channel_type: channelType,
        post: JSON.stringify(post),
        sender_name: `@${[...users.values()].find((u) => u.id === post.user_id)?.username ?? 'someone'}`,
        team_id: 'team1',
        ...(mentions.length > 0 ? { mentions: JSON.stringify(mentions) } : {}),
      },
      broadcast: { omit_users: null, user_id: '', channel_id: post.channel_id, team_id: '' },
      seq: ++seq,
    };
    for (const socket of sockets) socket.send(JSON.stringify(event));
  }

  function route(
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
  ) {
    if (headers.authorization !== `Bearer ${bot.token}`) {
      return error(
        'api.context.session_expired.app_error',
        'Invalid or expired session, please login again.',
        401,
      );
    }
    const json = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === '/users/me')
      return { status: 200, body: { id: bot.id, username: bot.username, is_bot: true } };
    if (method === 'POST' && path === '/posts') {
      const channel = String(json.channel_id ?? '');
      if (!members.has(channel))
        return error(
          'api.context.permissions.app_error',
          'You do not have the appropriate permissions.',
          403,
        );
      const message = String(json.message ?? '');
      if ([...message].length > MAX_RUNES)
        return error('model.post.is_valid.msg.app_error', 'Invalid message.', 400);
      const props = validProps(json.props);
      if (props) return error('model.post.is_valid.props.app_error', `Invalid props: ${props}`, 400);
      const rootId = String(json.root_id ?? '');
      if (rootId) {
        const root = posts.find((p) => p.id === rootId);
        if (!root || root.channel_id !== channel || root.root_id !== '')
          return error('api.post.create_post.root_id.app_error', 'Invalid RootId parameter.', 400);
      }
      if (!message && !(json.props as { attachments?: unknown[] } | undefined)?.attachments?.length)
        return error('api.post.create_post.empty.app_error', 'Cannot post an empty message.', 400);
      const at = Date.now();
      const post: EmulatedPost = {
        id: mattermostId(),
        channel_id: channel,
        root_id: rootId,
        user_id: bot.id,
        message,
        props: (json.props as EmulatedPost['props'] | undefined) ?? {},
        create_at: at,
        update_at: at,
        edit_at: 0,
      };
      posts.push(post);
      broadcast(post, 'O');
      return { status: 201, body: post };
    }
    const one = /^\/posts\/([a-z0-9]{26})$/.exec(path);
    if (one) {
      const post = posts.find((p) => p.id === one[1]);
      if (!post) return error('app.post.get.app_error', 'Unable to get the post.', 404);
      if (method === 'GET') return { status: 200, body: post };
      if (method === 'PUT') {
        if (json.id !== post.id)
          return error(
            'api.context.invalid_body_param.app_error',
            'Invalid or missing id in request body.',
            400,
          );
        if (post.user_id !== bot.id)
          return error(
            'api.context.permissions.app_error',
            'You do not have the appropriate permissions.',
            403,
          );
        const message = String(json.message ?? '');
        if ([...message].length > MAX_RUNES)
          return error('model.post.is_valid.msg.app_error', 'Invalid message.', 400);
        const props = validProps(json.props);
        if (props) return error('model.post.is_valid.props.app_error', `Invalid props: ${props}`, 400);
        post.message = message;
        post.props = (json.props as EmulatedPost['props'] | undefined) ?? {};
        post.update_at = Date.now();
        post.edit_at = post.update_at;
        return { status: 200, body: post };
      }
    }
    return error('api.context.404.app_error', 'Sorry, we could not find the page.', 404);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const path = url.pathname.replace(/^\/api\/v4/, '');
      if (limited > 0) {
        limited -= 1;
        requests.push({ method: req.method ?? '', path, status: 429 });
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': '0',
          'x-ratelimit-reset': '0',
        });
        return res.end(
          JSON.stringify({ id: 'api.context.rate_limit', message: 'Too many requests', status_code: 429 }),
        );
      }
      let body: unknown;
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        requests.push({ method: req.method ?? '', path, status: 400 });
        return write(res, 400, {
          id: 'api.context.invalid_body_param.app_error',
          message: 'Invalid body',
          status_code: 400,
        });
      }
      const answer = route(req.method ?? 'GET', path, req.headers, body);
      requests.push({ method: req.method ?? '', path, status: answer.status });
      write(res, answer.status, answer.body);
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/api/v4/websocket')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let authed = req.headers.authorization === `Bearer ${bot.token}`;
      const hello = () =>
        ws.send(
          JSON.stringify({ event: 'hello', data: { server_version: '9.11.0' }, broadcast: {}, seq: 0 }),
        );
      if (authed) {
        sockets.add(ws);
        hello();
      }
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as {
          seq?: number;
          action?: string;
          data?: { token?: string };
        };
        if (msg.action === 'authentication_challenge') {
          if (msg.data?.token === bot.token) {
            ws.send(JSON.stringify({ status: 'OK', seq_reply: msg.seq }));
            if (!authed) {
              authed = true;
              sockets.add(ws);
              hello();
            }
          } else {
            ws.send(
              JSON.stringify({
                status: 'FAIL',
                seq_reply: msg.seq,
                error: { id: 'api.web_socket_router.not_authenticated.app_error' },
              }),
            );
            ws.close(1008);
          }
        }
      });
      ws.on('close', () => sockets.delete(ws));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function user(username: string): MattermostUserInfo {
    let u = users.get(username);
    if (!u) {
      u = { id: mattermostId(), username };
      users.set(username, u);
    }
    return u;
  }

  function personPost(userId: string, channel: string, message: string, rootId = ''): EmulatedPost {
    const at = Date.now();
    const post: EmulatedPost = {
      id: mattermostId(),
      channel_id: channel,
      root_id: rootId,
      user_id: userId,
      message,
      props: {},
      create_at: at,
      update_at: at,
      edit_at: 0,
    };
    posts.push(post);
    return post;
  }

  return {
    url: base,
    bot,
    slashToken,
    webhookToken,
    users,
    posts,
    requests,
    integrations,
    user,
    join: (channel) => members.add(channel),
    rateLimitNext(n) {
      limited = n;
    },
    async slash(username, channel, text, options = {}) {
      if (!integrations.command) throw new Error('no slash command URL configured');
      const u = user(username);
      const token = options.token ?? slashToken;
      const form = new URLSearchParams({
        channel_id: channel,
        channel_name: channel,
        command: '/wh',
        response_url: `${base}/hooks/commands/${mattermostId()}`,
        team_domain: 'team',
        team_id: 'team1',
        text,
        token,
        trigger_id: Buffer.from(`${mattermostId()}:${u.id}:${Date.now()}`).toString('base64'),
        user_id: u.id,
        user_name: u.username,
      });
      return fetch(integrations.command, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Token ${token}`,
        },
        body: form.toString(),
      });
    },
    async outgoing(username, channel, text, options = {}) {
      if (!integrations.webhook) throw new Error('no outgoing webhook URL configured');
      const u = user(username);
      const post = personPost(u.id, channel, text);
      const response = await fetch(integrations.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          token: options.token ?? webhookToken,
          team_id: 'team1',
          team_domain: 'team',
          channel_id: channel,
          channel_name: channel,
          timestamp: options.timestamp ?? post.create_at,
          user_id: u.id,
          user_name: u.username,
          post_id: post.id,
          text,
          trigger_word: options.triggerWord ?? text.split(/\s+/)[0] ?? '',
          file_ids: '',
        }),
      });
      return { post, response };
    },
    say(username, channel, message, options = {}) {
      const post = personPost(user(username).id, channel, message, options.rootId);
      broadcast(post, options.channelType ?? 'O');
      return post;
    },
    async click(username, post, actionId, options = {}) {
      const action = post.props.attachments?.flatMap((a) => a.actions ?? []).find((a) => a.id === actionId);
      if (!action?.integration) throw new Error(`post ${post.id} has no button ${actionId}`);
      const u = user(username);
      return fetch(action.integration.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          user_id: u.id,
          user_name: u.username,
          channel_id: post.channel_id,
          channel_name: post.channel_id,
          team_id: 'team1',
          team_domain: 'team',
          post_id: post.id,
          trigger_id: options.triggerId ?? Buffer.from(`${mattermostId()}:${u.id}`).toString('base64'),
          type: 'button',
          data_source: '',
          context: options.context ?? action.integration.context ?? {},
        }),
      });
    },
    actionsOf: (post) => post.props.attachments?.flatMap((a) => a.actions ?? []) ?? [],
    thread: (rootId) => posts.filter((p) => p.id === rootId || p.root_id === rootId),
    channel: (id) => posts.filter((p) => p.channel_id === id),
    dropSockets() {
      const count = sockets.size;
      for (const socket of sockets) socket.terminate();
      sockets.clear();
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
