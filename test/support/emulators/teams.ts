import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * A Bot Framework + Microsoft Teams emulator on 127.0.0.1, built to the published contracts:
 *
 * - OpenID metadata (`/v1/.well-known/openidconfiguration`) and its JWKS, whose keys carry
 *   `endorsements` (the channels they may sign for); keys can be rotated;
 * - the channel calling the bot: activities POSTed with `Authorization: Bearer <JWT>`, a real
 *   RS256 token (iss https://api.botframework.com, aud = the bot's app id, `serviceurl` claim)
 *   signed with the emulator's published key — or, for security tests, with anything else;
 * - the token endpoint (OAuth client credentials, AAD-style errors for a wrong secret or scope);
 * - the connector (`/v3/conversations/{id}/activities[/{activityId}]`, POST and PUT): the bearer
 *   token must be one it issued and still valid; the conversation must exist; an activity must
 *   be a message with text or a well-formed Adaptive Card under 28 KB; only the bot's own
 *   messages can be updated. It records everything the bot sent.
 */

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface TeamsMessage {
  /** The conversation without `;messageid=`. */
  conversationId: string;
  id: string;
  /** The thread's root message id (channels); absent for a root or in chats. */
  threadId?: string;
  fromBot: boolean;
  from: string;
  /** The activity this one replied to (the connector's reply route). */
  replyToId?: string;
  activity: Record<string, unknown>;
  /** Earlier versions, oldest first (PUT keeps them). */
  history: Record<string, unknown>[];
}

export interface SentCall {
  method: 'POST' | 'PUT';
  path: string;
  status: number;
  activity?: Record<string, unknown>;
}

export interface TokenOptions {
  /** Which key signs: the published one (default), one never published, or one published without endorsements. */
  key?: 'published' | 'unpublished' | 'unendorsed';
  /** Claims to replace (iss, aud, exp, nbf, serviceurl ...); `undefined` removes one. */
  claims?: Record<string, unknown>;
  /** Header `kid` to claim. */
  kid?: string;
}

interface Conversation {
  type: 'channel' | 'personal' | 'groupChat';
  tenantId: string;
}

export interface TeamsEmulator {
  url: string;
  /** The connector's service URL (`serviceUrl` of every activity). */
  serviceUrl: string;
  openIdMetadataUrl: string;
  tokenUrl: string;
  appId: string;
  appPassword: string;
  /** The bot's channel account id (`28:<appId>`). */
  botId: string;
  tenantId: string;
  messages: TeamsMessage[];
  calls: SentCall[];
  /** Requests per endpoint: `metadata`, `keys`, `token`. */
  counts: { metadata: number; keys: number; token: number };
  setBotUrl(url: string): void;
  addConversation(id: string, type: Conversation['type']): void;
  user(name: string): TeamsUser;
  /** A signed token as the Bot Framework would send it (or a forged one). */
  token(options?: TokenOptions): Promise<string>;
  /** POST an activity to the bot's endpoint with a token (`null`: no Authorization header). */
  send(activity: Record<string, unknown>, token?: TokenOptions | string | null): Promise<Response>;
  /** A person's message (mentioning the bot in channels), stored and sent; `thread` replies in a thread. */
  say(
    from: TeamsUser,
    conversationId: string,
    text: string,
    options?: { thread?: string; token?: TokenOptions },
  ): Promise<{ activity: Record<string, unknown>; response: Response }>;
  /** Click an Action.Execute button of a bot message: an `adaptiveCard/action` invoke. */
  execute(from: TeamsUser, message: TeamsMessage, verb: string): Promise<Response>;
  /** Click the Action.Submit fallback of a button: a message activity with `value`. */
  submit(from: TeamsUser, message: TeamsMessage, verb: string): Promise<Response>;
  /** The app was added to a conversation: `conversationUpdate` with the bot among membersAdded. */
  install(conversationId: string): Promise<Response>;
  /** The activity a person's message would be (not sent). */
  messageActivity(
    from: TeamsUser,
    conversationId: string,
    text: string,
    thread?: string,
  ): Record<string, unknown>;
  /** Publish a new signing key and withdraw the old one. */
  rotateKeys(): Promise<void>;
  /** Tokens the token endpoint hands out live this long (seconds). */
  setTokenLifetime(seconds: number): void;
  /** Stop honouring every token handed out so far (as after a secret rotation). */
  revokeTokens(): void;
  find(id: string): TeamsMessage | undefined;
  /** Resolves with the next message the bot posts that matches. */
  nextMessage(match: (m: TeamsMessage) => boolean, timeoutMs?: number): Promise<TeamsMessage>;
  thread(conversationId: string, rootId: string): TeamsMessage[];
  close(): Promise<void>;
}

const CARD_ELEMENTS = new Set([
  'TextBlock',
  'FactSet',
  'Container',
  'ColumnSet',
  'ActionSet',
  'Image',
  'RichTextBlock',
  'CodeBlock',
  'Table',
]);
const CARD_ACTIONS = new Set([
  'Action.Execute',
  'Action.Submit',
  'Action.OpenUrl',
  'Action.ShowCard',
  'Action.ToggleVisibility',
]);
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;

/** An Adaptive Card as Teams checks it; returns what is wrong (empty when fine). */
export function validateCard(card: unknown): string[] {
  const errors: string[] = [];
  const c = card as { type?: unknown; version?: unknown; body?: unknown; actions?: unknown };
  if (c?.type !== 'AdaptiveCard') return ['content.type must be AdaptiveCard'];
  const version = typeof c.version === 'string' ? Number(c.version) : Number.NaN;
  if (!Number.isFinite(version)) errors.push('content.version is required');
  const checkAction = (a: Record<string, unknown>, at: string): void => {
    if (!CARD_ACTIONS.has(String(a.type))) errors.push(`${at}: unknown action type ${String(a.type)}`);
    if (typeof a.title !== 'string' || a.title === '') errors.push(`${at}: title is required`);
    if (a.type === 'Action.Execute' && version < 1.4)
      errors.push(`${at}: Action.Execute needs card version 1.4`);
    if (a.type === 'Action.OpenUrl' && typeof a.url !== 'string') errors.push(`${at}: url is required`);
    if (a.fallback && typeof a.fallback === 'object')
      checkAction(a.fallback as Record<string, unknown>, `${at}.fallback`);
  };
  const checkElement = (e: Record<string, unknown>, at: string): void => {
    if (!CARD_ELEMENTS.has(String(e.type))) errors.push(`${at}: unknown element type ${String(e.type)}`);
    if (e.type === 'TextBlock' && typeof e.text !== 'string')
      errors.push(`${at}: TextBlock.text is required`);
    if (e.type === 'CodeBlock' && typeof e.codeSnippet !== 'string')
      errors.push(`${at}: CodeBlock.codeSnippet is required`);
    if (e.type === 'FactSet' && !Array.isArray(e.facts)) errors.push(`${at}: FactSet.facts is required`);
    if (e.type === 'ActionSet') {
      if (!Array.isArray(e.actions)) errors.push(`${at}: ActionSet.actions is required`);
      else
        for (const [i, a] of (e.actions as Record<string, unknown>[]).entries())
          checkAction(a, `${at}.actions[${i}]`);
    }
    if (e.type === 'Container' && Array.isArray(e.items)) {
      for (const [i, x] of (e.items as Record<string, unknown>[]).entries())
        checkElement(x, `${at}.items[${i}]`);
    }
    if (e.fallback && typeof e.fallback === 'object')
      checkElement(e.fallback as Record<string, unknown>, `${at}.fallback`);
  };
  if (c.body !== undefined && !Array.isArray(c.body)) errors.push('content.body must be an array');
  for (const [i, e] of ((c.body as Record<string, unknown>[] | undefined) ?? []).entries())
    checkElement(e, `body[${i}]`);
  for (const [i, a] of ((c.actions as Record<string, unknown>[] | undefined) ?? []).entries())
    checkAction(a, `actions[${i}]`);
  return errors;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kid: randomBytes(12).toString('base64url'), privateKey, jwk };
}

export async function startTeamsEmulator(): Promise<TeamsEmulator> {
  const appId = randomUUID();
  const appPassword = randomBytes(18).toString('base64url');
  const botId = `28:${appId}`;
  const tenantId = randomUUID();
  let published = await newKey();
  const unpublished = await newKey();
  const unendorsed = await newKey();
  const conversations = new Map<string, Conversation>();
  const messages: TeamsMessage[] = [];
  const calls: SentCall[] = [];
  const issued = new Map<string, number>();
  const counts = { metadata: 0, keys: 0, token: 0 };
  let tokenLifetime = 3599;
  let botUrl = '';
  const waiters = new Set<{ match: (m: TeamsMessage) => boolean; resolve: (m: TeamsMessage) => void }>();
  const nextMessage = (match: (m: TeamsMessage) => boolean, timeoutMs = 30_000) =>
    new Promise<TeamsMessage>((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: TeamsMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching Teams message within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  let idCounter = Date.now();
  const nextId = () => String(++idCounter);

  // ---- token endpoint --------------------------------------------------------------------------

  async function tokenEndpoint(request: IncomingMessage, response: ServerResponse): Promise<void> {
    counts.token++;
    const form = new URLSearchParams(await readBody(request));
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(response, 400, {
        error: 'unsupported_grant_type',
        error_description: 'AADSTS70003: The app requested an unsupported grant type.',
      });
    }
    if (form.get('client_id') !== appId || form.get('client_secret') !== appPassword) {
      return sendJson(response, 401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.get('client_id') ?? ''}'.`,
      });
    }
    if (form.get('scope') !== 'https://api.botframework.com/.default') {
      return sendJson(response, 400, {
        error: 'invalid_scope',
        error_description: 'AADSTS70011: The provided request must include a valid scope.',
      });
    }
    const token = randomBytes(32).toString('base64url');
    issued.set(token, Date.now() + tokenLifetime * 1000);
    sendJson(response, 200, {
      token_type: 'Bearer',
      expires_in: tokenLifetime,
      ext_expires_in: tokenLifetime,
      access_token: token,
    });
  }

  // ---- connector -------------------------------------------------------------------------------

  async function connectorEndpoint(
    request: IncomingMessage,
    response: ServerResponse,
    rawConversation: string,
    activityId: string | undefined,
  ): Promise<void> {
    const method = request.method as 'POST' | 'PUT';
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const record = (status: number, activity?: Record<string, unknown>) =>
      calls.push({ method, path, status, ...(activity ? { activity } : {}) });
    const answer = (status: number, body: unknown, activity?: Record<string, unknown>) => {
      record(status, activity);
      sendJson(response, status, body);
    };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expires = bearer ? issued.get(bearer) : undefined;
    const raw = await readBody(request);
    if (expires === undefined || expires < Date.now()) {
      return answer(401, { message: 'Authorization has been denied for this request.' });
    }
    if (Buffer.byteLength(raw) > TEAMS_MESSAGE_LIMIT_BYTES) {
      return answer(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big.' } });
    }
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return answer(400, { error: { code: 'BadArgument', message: 'The activity is not JSON.' } });
    }
    const conversationFull = decodeURIComponent(rawConversation);
    const at = conversationFull.indexOf(';messageid=');
    const conversationId = at === -1 ? conversationFull : conversationFull.slice(0, at);
    const threadFromId = at === -1 ? undefined : conversationFull.slice(at + ';messageid='.length);
    const conversation = conversations.get(conversationId);
    if (!conversation) {
      return answer(
        404,
        { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } },
        activity,
      );
    }
    if (
      threadFromId &&
      !messages.some((m) => m.conversationId === conversationId && m.id === threadFromId && !m.threadId)
    ) {
      return answer(
        400,
        { error: { code: 'BadArgument', message: 'Thread root message not found.' } },
        activity,
      );
    }
    if (activity.type !== 'message') {
      return answer(
        400,
        { error: { code: 'BadArgument', message: 'Activity type must be message.' } },
        activity,
      );
    }
    const attachments =
      (activity.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? [];
    if ((typeof activity.text !== 'string' || activity.text === '') && attachments.length === 0) {
      return answer(
        400,
        { error: { code: 'BadArgument', message: 'Message has no text and no attachments.' } },
        activity,
      );
    }
    for (const attachment of attachments) {
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
      const problems = validateCard(attachment.content);
      if (problems.length > 0) {
        return answer(
          400,
          { error: { code: 'BadArgument', message: `Invalid Adaptive Card: ${problems.join('; ')}` } },
          activity,
        );
      }
    }
    if (method === 'PUT') {
      const existing = messages.find((m) => m.conversationId === conversationId && m.id === activityId);
      if (!existing)
        return answer(404, { error: { code: 'NotFound', message: 'Activity not found.' } }, activity);
      if (!existing.fromBot) {
        return answer(
          403,
          {
            error: {
              code: 'BotNotInConversationRoster',
              message: 'The bot can only update its own messages.',
            },
          },
          activity,
        );
      }
      existing.history.push(existing.activity);
      existing.activity = activity;
      return answer(200, { id: existing.id }, activity);
    }
    let threadId: string | undefined;
    if (activityId !== undefined) {
      const parent = messages.find((m) => m.conversationId === conversationId && m.id === activityId);
      if (!parent)
        return answer(
          404,
          { error: { code: 'NotFound', message: 'The activity replied to was not found.' } },
          activity,
        );
      if (conversation.type === 'channel') threadId = parent.threadId ?? parent.id;
    } else if (threadFromId && conversation.type === 'channel') {
      threadId = threadFromId;
    }
    const message: TeamsMessage = {
      conversationId,
      id: nextId(),
      ...(threadId ? { threadId } : {}),
      fromBot: true,
      from: botId,
      ...(activityId !== undefined ? { replyToId: activityId } : {}),
      activity,
      history: [],
    };
    messages.push(message);
    for (const waiter of waiters) {
      if (!waiter.match(message)) continue;
      waiters.delete(waiter);
      waiter.resolve(message);
    }
    return answer(201, { id: message.id }, activity);
  }

  // ---- the channel calling the bot ----------------------------------------------------------------

  const serviceUrlOf = () => `http://127.0.0.1:${port()}/amer/`;

  async function token(options: TokenOptions = {}): Promise<string> {
    const key =
      options.key === 'unpublished' ? unpublished : options.key === 'unendorsed' ? unendorsed : published;
    const nowSec = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: BOT_FRAMEWORK_ISSUER,
      aud: appId,
      serviceurl: serviceUrlOf(),
      nbf: nowSec - 5,
      iat: nowSec - 5,
      exp: nowSec + 3600,
      ...options.claims,
    };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? key.kid })
      .sign(key.privateKey);
  }

  async function send(
    activity: Record<string, unknown>,
    auth?: TokenOptions | string | null,
  ): Promise<Response> {
    if (!botUrl) throw new Error('the Teams emulator does not know where the bot is: call setBotUrl first');
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (auth !== null)
      headers.authorization = `Bearer ${typeof auth === 'string' ? auth : await token(auth)}`;
    return fetch(`${botUrl}/chat/teams/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(activity),
    });
  }

  function base(conversationId: string, from: { id: string; name: string; aadObjectId?: string }) {
    const conversation = conversations.get(conversationId);
    if (!conversation) throw new Error(`emulated Teams has no conversation ${conversationId}`);
    return {
      channelId: 'msteams',
      serviceUrl: serviceUrlOf(),
      timestamp: new Date().toISOString(),
      from,
      recipient: { id: botId, name: 'Wheelhouse' },
      conversation,
      channelData: {
        tenant: { id: conversation.tenantId },
        ...(conversation.type === 'channel'
          ? { channel: { id: conversationId }, team: { id: '19:team@thread.tacv2' } }
          : {}),
      },
    };
  }

  function conversationField(conversationId: string, root?: string) {
    const conversation = conversations.get(conversationId);
    if (!conversation) throw new Error(`emulated Teams has no conversation ${conversationId}`);
    return {
      id: conversation.type === 'channel' && root ? `${conversationId};messageid=${root}` : conversationId,
      conversationType: conversation.type,
      tenantId: conversation.tenantId,
      isGroup: conversation.type !== 'personal',
    };
  }

  function messageActivity(from: TeamsUser, conversationId: string, text: string, thread?: string) {
    const conversation = conversations.get(conversationId);
    const id = nextId();
    const mention = conversation?.type === 'personal' ? '' : '<at>Wheelhouse</at> ';
    const root = conversation?.type === 'channel' ? (thread ?? id) : undefined;
    return {
      ...base(conversationId, from),
      type: 'message',
      id,
      text: `${mention}${text}`,
      textFormat: 'plain',
      conversation: conversationField(conversationId, root),
      entities: mention
        ? [{ type: 'mention', text: '<at>Wheelhouse</at>', mentioned: { id: botId, name: 'Wheelhouse' } }]
        : [],
    };
  }

  function click(message: TeamsMessage, verb: string) {
    const card = ((message.activity.attachments as
      | { content?: { body?: Record<string, unknown>[] } }[]
      | undefined) ?? [])[0]?.content;
    const actions = (card?.body ?? []).flatMap((e) =>
      e.type === 'ActionSet' ? (e.actions as Record<string, unknown>[]) : [],
    );
    const action = actions.find((a) => a.verb === verb);
    if (!action)
      throw new Error(`message ${message.id} has no button with verb ${verb}; Teams cannot send that click`);
    return action;
  }

  // ---- HTTP server -------------------------------------------------------------------------------

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const fail = () => sendJson(response, 500, { error: { code: 'InternalError' } });
    if (request.method === 'GET' && url.pathname === '/v1/.well-known/openidconfiguration') {
      counts.metadata++;
      return sendJson(response, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `http://127.0.0.1:${port()}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (request.method === 'GET' && url.pathname === '/v1/.well-known/keys') {
      counts.keys++;
      return sendJson(response, 200, {
        keys: [
          { ...published.jwk, kid: published.kid, use: 'sig', endorsements: ['msteams', 'webchat', 'skype'] },
          { ...unendorsed.jwk, kid: unendorsed.kid, use: 'sig', endorsements: ['webchat'] },
        ],
      });
    }
    if (request.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      void tokenEndpoint(request, response).catch(fail);
      return;
    }
    const connector = /^\/amer\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    if (connector?.[1] && (request.method === 'POST' || (request.method === 'PUT' && connector[2]))) {
      const activityId = connector[2] === undefined ? undefined : decodeURIComponent(connector[2]);
      void connectorEndpoint(request, response, connector[1], activityId).catch(fail);
      return;
    }
    sendJson(response, 404, {
      error: { code: 'NotFound', message: `no route ${request.method} ${url.pathname}` },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port()}`;

  return {
    url,
    serviceUrl: serviceUrlOf(),
    openIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
    tokenUrl: `${url}/botframework.com/oauth2/v2.0/token`,
    appId,
    appPassword,
    botId,
    tenantId,
    messages,
    calls,
    counts,
    setBotUrl(value) {
      botUrl = value.replace(/\/$/, '');
    },
    addConversation(id, type) {
      conversations.set(id, { type, tenantId });
    },
    user(name) {
      return { id: `29:${name}-${randomBytes(6).toString('hex')}`, name, aadObjectId: randomUUID() };
    },
    token,
    send,
    async say(from, conversationId, text, options = {}) {
      const activity = messageActivity(from, conversationId, text, options.thread);
      const conversation = conversations.get(conversationId);
      messages.push({
        conversationId,
        id: String(activity.id),
        ...(options.thread && conversation?.type === 'channel' ? { threadId: options.thread } : {}),
        fromBot: false,
        from: from.id,
        activity,
        history: [],
      });
      return { activity, response: await send(activity, options.token) };
    },
    async execute(from, message, verb) {
      const action = click(message, verb);
      const root = message.threadId ?? message.id;
      return send({
        ...base(message.conversationId, from),
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: nextId(),
        replyToId: message.id,
        conversation: conversationField(message.conversationId, root),
        value: { action: { type: 'Action.Execute', verb, data: action.data }, trigger: 'manual' },
      });
    },
    async submit(from, message, verb) {
      const action = click(message, verb);
      const fallback = action.fallback as { type?: string; data?: unknown } | undefined;
      if (fallback?.type !== 'Action.Submit')
        throw new Error(`the ${verb} button has no Action.Submit fallback`);
      const root = message.threadId ?? message.id;
      return send({
        ...base(message.conversationId, from),
        type: 'message',
        id: nextId(),
        replyToId: message.id,
        conversation: conversationField(message.conversationId, root),
        value: fallback.data,
      });
    },
    async install(conversationId) {
      return send({
        ...base(conversationId, { id: `29:installer-${randomBytes(4).toString('hex')}`, name: 'Installer' }),
        type: 'conversationUpdate',
        id: nextId(),
        conversation: conversationField(conversationId),
        membersAdded: [{ id: botId }],
      });
    },
    messageActivity,
    async rotateKeys() {
      published = await newKey();
    },
    setTokenLifetime(seconds) {
      tokenLifetime = seconds;
    },
    revokeTokens() {
      issued.clear();
    },
    find: (id) => messages.find((m) => m.id === id),
    nextMessage,
    thread: (conversationId, rootId) =>
      messages.filter(
        (m) => m.conversationId === conversationId && (m.id === rootId || m.threadId === rootId),
      ),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
