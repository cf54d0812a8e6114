import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A Slack emulator on 127.0.0.1, built to Slack's published contracts:
 *
 * - the Web API (`auth.test`, `chat.postMessage`, `chat.update`, `apps.connections.open`):
 *   tokens checked, `{ ok: false, error }` answers for what Slack refuses (unknown channel, bot
 *   not in the channel, no text, Block Kit limits broken, updating someone else's message);
 * - Slack as the caller of an app's HTTP endpoints: Events API envelopes, slash commands and
 *   block actions, each signed with the signing secret (v0 HMAC-SHA256);
 * - Socket Mode: `apps.connections.open` hands out a one-time WebSocket URL; the server says
 *   `hello`, sends envelopes and records the acknowledgements.
 *
 * It is stricter than Slack in one place: a `thread_ts` that names no message is refused
 * (`thread_not_found`) instead of being posted at the top level, so a lost thread shows up.
 * It records every call and every message (with its edits) for tests to inspect.
 */

export interface EmulatedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  bot: boolean;
  text: string;
  blocks?: Block[];
  /** Earlier versions, oldest first (chat.update keeps them here). */
  history: { text: string; blocks?: Block[] }[];
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
}

export interface Delivery {
  path: string;
  status: number;
  body: string;
}

export interface SignOptions {
  /** Seconds since the epoch to sign with (default now). */
  timestamp?: number;
  /** Sign with another secret (a forger). */
  secret?: string;
  /** Send this signature instead of the computed one. */
  signature?: string;
  headers?: Record<string, string>;
}

type Block = Record<string, unknown> & { type: string };

interface Channel {
  member: boolean;
  im: boolean;
}

export interface SlackEmulator {
  url: string;
  /** The Web API base (`chat.slack.apiUrl`). */
  apiUrl: string;
  signingSecret: string;
  botToken: string;
  appToken: string;
  botUserId: string;
  teamId: string;
  appId: string;
  /** `https://<domain>.slack.com/` as auth.test reports it. */
  workspaceUrl: string;
  messages: EmulatedMessage[];
  calls: ApiCall[];
  deliveries: Delivery[];
  /** What the app posted to slash command `response_url`s. */
  responses: { url: string; body: unknown }[];
  /** Socket Mode acknowledgements received, by envelope id. */
  acks: { envelope_id: string; payload?: unknown }[];
  /** Where the app's HTTP endpoints are (Wheelhouse's base URL). */
  setAppUrl(url: string): void;
  addChannel(id: string, options?: { member?: boolean; im?: boolean }): void;
  /** The DM channel between the bot and a user (created on first use). */
  imWith(user: string): string;
  /** A person's message, stored as Slack would (no delivery). */
  say(user: string, channel: string, text: string, thread_ts?: string): EmulatedMessage;
  /** @-mention the bot in a channel: stores the message and delivers `app_mention`. */
  mention(
    user: string,
    channel: string,
    text: string,
    options?: { thread_ts?: string; sign?: SignOptions },
  ): Promise<{
    message: EmulatedMessage;
    eventId: string;
    response: Response;
    body: Record<string, unknown>;
  }>;
  /** A direct message to the bot: delivers `message` with channel_type `im`. */
  dm(user: string, text: string): Promise<{ message: EmulatedMessage; eventId: string; response: Response }>;
  /** POST an Events API body to /chat/slack/events, signed. */
  deliverEvent(body: Record<string, unknown>, options?: SignOptions): Promise<Response>;
  /** Run a slash command (`/wh <text>`) in a channel: POST to /chat/slack/commands, signed. */
  slashCommand(
    user: string,
    channel: string,
    text: string,
    options?: { command?: string; trigger_id?: string; sign?: SignOptions },
  ): Promise<{ response: Response; triggerId: string; fields: Record<string, string> }>;
  /** Click a button of a bot message (it must be there): POST block_actions to /chat/slack/interactivity. */
  click(
    user: string,
    message: EmulatedMessage,
    actionId: string,
    options?: { sign?: SignOptions },
  ): Promise<Response>;
  /** POST raw bytes to one of the app's endpoints with Slack's signature headers. */
  post(path: string, body: string, contentType: string, options?: SignOptions): Promise<Response>;
  /** The headers Slack would sign `body` with. */
  signatureHeaders(body: string, options?: SignOptions): Record<string, string>;
  /** A message and its replies, oldest first. */
  thread(channel: string, ts: string): EmulatedMessage[];
  find(ts: string): EmulatedMessage | undefined;
  /** Resolves with the next message stored that matches (a bot post, a person's message). */
  nextMessage(match: (m: EmulatedMessage) => boolean, timeoutMs?: number): Promise<EmulatedMessage>;
  /** Socket Mode connections open now. */
  socketCount(): number;
  /** Socket Mode connections accepted so far (reconnects count). */
  connectionsAccepted(): number;
  /** Send an envelope over the open socket; resolves with the acknowledgement. */
  sendEnvelope(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
    options?: { retryAttempt?: number; envelopeId?: string },
  ): Promise<{ envelope_id: string; payload?: unknown }>;
  /** Build the Events API envelope Slack would send for an inner event. */
  eventEnvelope(event: Record<string, unknown>, eventId?: string): Record<string, unknown>;
  /** Build the block_actions payload a click sends. */
  blockActions(user: string, message: EmulatedMessage, actionId: string): Record<string, unknown>;
  /** Ask the connected client to reconnect (`disconnect` / `refresh_requested`). */
  refreshSocket(): void;
  close(): Promise<void>;
}

export const SLACK_BLOCK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  messageText: 40_000,
};

/** Block Kit validation as Slack does it; returns Slack-style error lines (empty when valid). */
export function validateBlocks(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['[ERROR] must be an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  if (blocks.length > SLACK_BLOCK_LIMITS.blocks) {
    errors.push(`[ERROR] no more than ${SLACK_BLOCK_LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  }
  const blockIds = new Set<string>();
  const textObject = (value: unknown, max: number, at: string, plainOnly = false): void => {
    const t = value as { type?: unknown; text?: unknown } | undefined;
    if (!t || typeof t !== 'object') {
      errors.push(`[ERROR] must provide an object [json-pointer:${at}]`);
    } else if (t.type !== 'plain_text' && (plainOnly || t.type !== 'mrkdwn')) {
      errors.push(`[ERROR] must be a valid enum value [json-pointer:${at}/type]`);
    } else if (typeof t.text !== 'string' || t.text.length === 0) {
      errors.push(`[ERROR] must be more than 0 characters [json-pointer:${at}/text]`);
    } else if (t.text.length > max) {
      errors.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${at}/text]`);
    }
  };
  const listOf = (value: unknown, max: number, at: string, what: string): unknown[] | undefined => {
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
      errors.push(`[ERROR] must provide 1 to ${max} ${what} [json-pointer:${at}]`);
      return undefined;
    }
    return value;
  };
  const button = (e: Record<string, unknown>, at: string, actionIds: Set<string>): void => {
    if (e.type !== 'button') {
      errors.push(`[ERROR] unsupported element type [json-pointer:${at}/type]`);
      return;
    }
    textObject(e.text, SLACK_BLOCK_LIMITS.buttonText, `${at}/text`, true);
    if (typeof e.action_id === 'string') {
      if (e.action_id.length > SLACK_BLOCK_LIMITS.actionId) {
        errors.push(`[ERROR] must be less than 256 characters [json-pointer:${at}/action_id]`);
      }
      if (actionIds.has(e.action_id))
        errors.push(`[ERROR] duplicate action_id [json-pointer:${at}/action_id]`);
      actionIds.add(e.action_id);
    }
    if (
      e.value !== undefined &&
      (typeof e.value !== 'string' || e.value.length > SLACK_BLOCK_LIMITS.buttonValue)
    ) {
      errors.push(`[ERROR] must be less than 2001 characters [json-pointer:${at}/value]`);
    }
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
      errors.push(`[ERROR] must be a valid enum value [json-pointer:${at}/style]`);
    }
  };
  for (const [i, raw] of blocks.entries()) {
    const at = `/blocks/${i}`;
    const block = raw as Block;
    if (typeof block?.block_id === 'string') {
      if (blockIds.has(block.block_id))
        errors.push(`[ERROR] duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    switch (block?.type) {
      case 'divider':
        break;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) {
          errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
        }
        if (block.text !== undefined) textObject(block.text, SLACK_BLOCK_LIMITS.sectionText, `${at}/text`);
        if (block.fields !== undefined) {
          const fields = listOf(block.fields, SLACK_BLOCK_LIMITS.fields, `${at}/fields`, 'fields') ?? [];
          for (const [k, f] of fields.entries())
            textObject(f, SLACK_BLOCK_LIMITS.fieldText, `${at}/fields/${k}`);
        }
        break;
      }
      case 'context': {
        const elements =
          listOf(block.elements, SLACK_BLOCK_LIMITS.contextElements, `${at}/elements`, 'elements') ?? [];
        for (const [k, e] of elements.entries())
          textObject(e, SLACK_BLOCK_LIMITS.sectionText, `${at}/elements/${k}`);
        break;
      }
      case 'actions': {
        const elements =
          listOf(block.elements, SLACK_BLOCK_LIMITS.actionsElements, `${at}/elements`, 'elements') ?? [];
        const actionIds = new Set<string>();
        for (const [k, e] of elements.entries())
          button(e as Record<string, unknown>, `${at}/elements/${k}`, actionIds);
        break;
      }
      default:
        errors.push(`[ERROR] unsupported type: ${String(block?.type)} [json-pointer:${at}/type]`);
    }
  }
  return errors;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

export async function startSlackEmulator(
  options: { signingSecret?: string; teamDomain?: string } = {},
): Promise<SlackEmulator> {
  const signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
  const botToken = `xoxb-${randomBytes(12).toString('hex')}`;
  const appToken = `xapp-1-${randomBytes(12).toString('hex')}`;
  const botUserId = 'UWHBOT0001';
  const teamId = 'T0EMULATED';
  const appId = 'A0WHEELHSE';
  const workspaceUrl = `https://${options.teamDomain ?? 'wheelhouse-test'}.slack.com/`;
  const channels = new Map<string, Channel>();
  const messages: EmulatedMessage[] = [];
  const calls: ApiCall[] = [];
  const deliveries: Delivery[] = [];
  const responses: { url: string; body: unknown }[] = [];
  const acks: { envelope_id: string; payload?: unknown }[] = [];
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const waitingAcks = new Map<string, (ack: { envelope_id: string; payload?: unknown }) => void>();
  let appUrl = '';
  let clock = Math.floor(Date.now() / 1000);
  let counter = 0;
  let eventCounter = 0;

  const nextTs = () => {
    clock = Math.max(clock, Math.floor(Date.now() / 1000));
    counter++;
    return `${clock}.${String(counter).padStart(6, '0')}`;
  };

  const waiters = new Set<{
    match: (m: EmulatedMessage) => boolean;
    resolve: (m: EmulatedMessage) => void;
  }>();
  const store = (message: Omit<EmulatedMessage, 'history'>): EmulatedMessage => {
    const full: EmulatedMessage = { ...message, history: [] };
    messages.push(full);
    for (const waiter of waiters) {
      if (!waiter.match(full)) continue;
      waiters.delete(waiter);
      waiter.resolve(full);
    }
    return full;
  };
  const nextMessage = (match: (m: EmulatedMessage) => boolean, timeoutMs = 30_000) =>
    new Promise<EmulatedMessage>((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: EmulatedMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching Slack message within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });

  // ---- Web API -------------------------------------------------------------------------------

  type Answer = Record<string, unknown>;
  const fail = (error: string, extra: Answer = {}): Answer => ({ ok: false, error, ...extra });

  const methods: Record<string, (args: Record<string, unknown>, token: string) => Answer> = {
    'auth.test': (_args, token) => {
      if (token !== botToken) return fail('not_allowed_token_type');
      return {
        ok: true,
        url: workspaceUrl,
        team: 'Wheelhouse Test',
        user: 'wheelhouse',
        team_id: teamId,
        user_id: botUserId,
        bot_id: 'B0WHEELHSE',
        is_enterprise_install: false,
      };
    },
    'chat.postMessage': (args, token) => {
      if (token !== botToken) return fail('not_allowed_token_type');
      const checked = checkMessage(args);
      if (checked) return checked;
      const channel = String(args.channel);
      const thread = args.thread_ts === undefined ? undefined : String(args.thread_ts);
      if (thread !== undefined) {
        if (!/^\d+\.\d+$/.test(thread)) return fail('invalid_thread_ts');
        const root = messages.find((m) => m.channel === channel && m.ts === thread);
        if (!root) return fail('thread_not_found');
        if (root.thread_ts && root.thread_ts !== root.ts) return fail('invalid_thread_ts');
      }
      const message = store({
        channel,
        ts: nextTs(),
        ...(thread ? { thread_ts: thread } : {}),
        user: botUserId,
        bot: true,
        text: typeof args.text === 'string' ? args.text : '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks as Block[] } : {}),
      });
      return { ok: true, channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
    },
    'chat.update': (args, token) => {
      if (token !== botToken) return fail('not_allowed_token_type');
      const checked = checkMessage(args);
      if (checked) return checked;
      const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
      if (!message) return fail('message_not_found');
      if (!message.bot || message.user !== botUserId) return fail('cant_update_message');
      message.history.push({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
      message.text = typeof args.text === 'string' ? args.text : '';
      if (Array.isArray(args.blocks)) message.blocks = args.blocks as Block[];
      else delete message.blocks;
      return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
    },
    'apps.connections.open': (_args, token) => {
      if (token !== appToken) return fail('not_allowed_token_type');
      const ticket = randomUUID();
      tickets.add(ticket);
      return { ok: true, url: `ws://127.0.0.1:${port()}/link/?ticket=${ticket}&app_id=${appId}` };
    },
  };

  function checkMessage(args: Record<string, unknown>): Answer | undefined {
    const channel = typeof args.channel === 'string' ? channels.get(args.channel) : undefined;
    if (!channel) return fail('channel_not_found');
    if (!channel.member) return fail('not_in_channel');
    const hasText = typeof args.text === 'string' && args.text.trim() !== '';
    if (!hasText && args.blocks === undefined) return fail('no_text');
    if (typeof args.text === 'string' && args.text.length > SLACK_BLOCK_LIMITS.messageText) {
      return fail('msg_too_long');
    }
    if (args.blocks !== undefined) {
      const errors = validateBlocks(args.blocks);
      if (errors.length > 0) {
        return fail('invalid_blocks', { errors, response_metadata: { messages: errors } });
      }
    }
    return undefined;
  }

  async function webApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    const raw = (await readBody(request)).toString('utf8');
    const type = request.headers['content-type'] ?? '';
    let args: Record<string, unknown> = {};
    if (type.startsWith('application/json')) {
      try {
        args = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        return sendJson(response, 200, fail('invalid_json'));
      }
    } else {
      for (const [key, value] of new URLSearchParams(raw)) {
        // Form posts carry structured arguments as JSON strings.
        if ((key === 'blocks' || key === 'attachments') && value.trim().startsWith('[')) {
          try {
            args[key] = JSON.parse(value);
          } catch {
            return sendJson(response, 200, fail('invalid_blocks_format'));
          }
        } else args[key] = value;
      }
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const handler = methods[method];
    let answer: Answer;
    if (!handler) answer = fail('unknown_method');
    else if (!token) answer = fail('not_authed');
    else if (token !== botToken && token !== appToken) answer = fail('invalid_auth');
    else answer = handler(args, token);
    const { token: _dropped, ...recorded } = args;
    calls.push({
      method,
      args: recorded,
      ok: answer.ok === true,
      ...(typeof answer.error === 'string' ? { error: answer.error } : {}),
    });
    sendJson(response, 200, answer);
  }

  // ---- Slack calling the app -----------------------------------------------------------------

  const signatureHeaders = (body: string, sign: SignOptions = {}): Record<string, string> => {
    const timestamp = String(sign.timestamp ?? Math.floor(Date.now() / 1000));
    const signature =
      sign.signature ??
      `v0=${createHmac('sha256', sign.secret ?? signingSecret)
        .update(`v0:${timestamp}:${body}`)
        .digest('hex')}`;
    return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature, ...sign.headers };
  };

  async function post(path: string, body: string, contentType: string, sign: SignOptions = {}) {
    if (!appUrl) throw new Error('the Slack emulator does not know where the app is: call setAppUrl first');
    const response = await fetch(`${appUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...signatureHeaders(body, sign),
      },
      body,
    });
    const text = await response.clone().text();
    deliveries.push({ path, status: response.status, body: text });
    return response;
  }

  const eventEnvelope = (event: Record<string, unknown>, eventId?: string): Record<string, unknown> => ({
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: appId,
    event: { ...event, event_ts: event.ts ?? nextTs() },
    type: 'event_callback',
    event_id:
      eventId ??
      `Ev${String(++eventCounter).padStart(8, '0')}${randomBytes(2).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });

  const deliverEvent = (body: Record<string, unknown>, sign?: SignOptions) =>
    post('/chat/slack/events', JSON.stringify(body), 'application/json', sign);

  function say(user: string, channel: string, text: string, thread_ts?: string): EmulatedMessage {
    if (!channels.has(channel)) throw new Error(`emulated Slack has no channel ${channel}`);
    return store({ channel, ts: nextTs(), ...(thread_ts ? { thread_ts } : {}), user, bot: false, text });
  }

  function imWith(user: string): string {
    const id = `D${user.replace(/^U/, '')}`.slice(0, 11);
    if (!channels.has(id)) channels.set(id, { member: true, im: true });
    return id;
  }

  function findButton(message: EmulatedMessage, actionId: string) {
    for (const block of message.blocks ?? []) {
      if (block.type !== 'actions') continue;
      for (const element of block.elements as Record<string, unknown>[]) {
        if (element.action_id === actionId) return { block, element };
      }
    }
    return undefined;
  }

  function blockActions(user: string, message: EmulatedMessage, actionId: string): Record<string, unknown> {
    const found = findButton(message, actionId);
    if (!found)
      throw new Error(`message ${message.ts} has no button ${actionId}; Slack cannot send that click`);
    return {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: teamId },
      api_app_id: appId,
      token: 'legacy-verification-token',
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: false,
      },
      trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
      team: { id: teamId, domain: 'wheelhouse-test' },
      channel: { id: message.channel, name: message.channel.toLowerCase() },
      message: {
        type: 'message',
        ts: message.ts,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
        text: message.text,
        user: message.user,
        bot_id: 'B0WHEELHSE',
        blocks: message.blocks,
      },
      response_url: `http://127.0.0.1:${port()}/hooks/actions/${randomBytes(6).toString('hex')}`,
      actions: [
        {
          ...found.element,
          block_id: typeof found.block.block_id === 'string' ? found.block.block_id : 'b1',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  }

  // ---- Socket Mode ---------------------------------------------------------------------------

  const wss = new WebSocketServer({ noServer: true });
  let accepted = 0;
  wss.on('connection', (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      try {
        const ack = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
        if (typeof ack.envelope_id !== 'string') return;
        const record = {
          envelope_id: ack.envelope_id,
          ...(ack.payload === undefined ? {} : { payload: ack.payload }),
        };
        acks.push(record);
        waitingAcks.get(ack.envelope_id)?.(record);
        waitingAcks.delete(ack.envelope_id);
      } catch {
        // Slack ignores what it cannot parse.
      }
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.size,
        debug_info: { host: 'emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
  });

  // ---- HTTP server ---------------------------------------------------------------------------

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (request.method === 'POST' && api?.[1]) {
      void webApi(request, response, api[1]).catch(() => sendJson(response, 500, fail('internal_error')));
      return;
    }
    if (request.method === 'POST' && url.pathname.startsWith('/hooks/')) {
      void readBody(request).then((raw) => {
        let body: unknown = raw.toString('utf8');
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          // kept as text
        }
        responses.push({ url: url.pathname, body });
        response.writeHead(200).end('ok');
      });
      return;
    }
    sendJson(response, 404, fail('unknown_method'));
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket');
    if (url.pathname !== '/link/' || !ticket || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port()}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    signingSecret,
    botToken,
    appToken,
    botUserId,
    teamId,
    appId,
    workspaceUrl,
    messages,
    calls,
    deliveries,
    responses,
    acks,
    setAppUrl(value) {
      appUrl = value.replace(/\/$/, '');
    },
    addChannel(id, opts = {}) {
      channels.set(id, { member: opts.member ?? true, im: opts.im ?? false });
    },
    imWith,
    say,
    async mention(user, channel, text, opts = {}) {
      const message = say(user, channel, `<@${botUserId}> ${text}`, opts.thread_ts);
      const body = eventEnvelope({
        type: 'app_mention',
        user,
        text: message.text,
        ts: message.ts,
        channel,
        ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}),
      });
      const response = await deliverEvent(body, opts.sign);
      return { message, eventId: String(body.event_id), response, body };
    },
    async dm(user, text) {
      const channel = imWith(user);
      const message = say(user, channel, text);
      const body = eventEnvelope({
        type: 'message',
        channel_type: 'im',
        user,
        text,
        ts: message.ts,
        channel,
      });
      const response = await deliverEvent(body);
      return { message, eventId: String(body.event_id), response };
    },
    deliverEvent,
    async slashCommand(user, channel, text, opts = {}) {
      const triggerId = opts.trigger_id ?? `${Date.now()}.${randomBytes(6).toString('hex')}`;
      const fields: Record<string, string> = {
        token: 'legacy-verification-token',
        team_id: teamId,
        team_domain: 'wheelhouse-test',
        channel_id: channel,
        channel_name: channel.toLowerCase(),
        user_id: user,
        user_name: user.toLowerCase(),
        command: opts.command ?? '/wh',
        text,
        api_app_id: appId,
        is_enterprise_install: 'false',
        response_url: `http://127.0.0.1:${port()}/hooks/commands/${randomBytes(6).toString('hex')}`,
        trigger_id: triggerId,
      };
      const response = await post(
        '/chat/slack/commands',
        new URLSearchParams(fields).toString(),
        'application/x-www-form-urlencoded',
        opts.sign,
      );
      return { response, triggerId, fields };
    },
    async click(user, message, actionId, opts = {}) {
      const payload = blockActions(user, message, actionId);
      return post(
        '/chat/slack/interactivity',
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
        opts.sign,
      );
    },
    post,
    signatureHeaders,
    thread(channel, ts) {
      return messages.filter((m) => m.channel === channel && (m.ts === ts || m.thread_ts === ts));
    },
    find: (ts) => messages.find((m) => m.ts === ts),
    nextMessage,
    socketCount: () => [...sockets].filter((s) => s.readyState === WebSocket.OPEN).length,
    connectionsAccepted: () => accepted,
    sendEnvelope(type, payload, opts = {}) {
      const socket = [...sockets].find((s) => s.readyState === WebSocket.OPEN);
      if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
      const envelopeId = opts.envelopeId ?? randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
      };
      if (type === 'events_api') {
        envelope.retry_attempt = opts.retryAttempt ?? 0;
        envelope.retry_reason = opts.retryAttempt ? 'timeout' : '';
      }
      const acked = new Promise<{ envelope_id: string; payload?: unknown }>((resolve, reject) => {
        const timer = setTimeout(() => {
          waitingAcks.delete(envelopeId);
          reject(new Error(`envelope ${envelopeId} was not acknowledged within 30 s`));
        }, 30_000);
        waitingAcks.set(envelopeId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
      });
      socket.send(JSON.stringify(envelope));
      return acked;
    },
    eventEnvelope,
    blockActions,
    refreshSocket() {
      for (const socket of sockets) {
        socket.send(
          JSON.stringify({
            type: 'disconnect',
            reason: 'refresh_requested',
            debug_info: { host: 'emulator' },
          }),
        );
      }
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
