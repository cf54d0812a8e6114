import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Discord, as far as Wheelhouse talks to it, following the published contract
 * (discord.com/developers/docs/interactions/receiving-and-responding, …/resources/message,
 * …/interactions/application-commands): it signs interactions with a real Ed25519 key pair and
 * sends them to the configured endpoint (after validating that endpoint the way the Developer
 * Portal does: a signed PING must be PONGed, a badly signed one refused with 401), takes the
 * 3-second initial response, serves the interaction webhooks (15-minute tokens, @original only
 * after the acknowledgement) and the bot's channel-message and command-registration routes —
 * and refuses what Discord refuses (bad tokens, unknown messages and channels, editing others'
 * messages, payloads over Discord's limits, malformed command definitions).
 */
export interface EmulatedMessage {
  id: string;
  channel_id: string;
  author: { id: string; bot: boolean; username: string };
  content: string;
  embeds: Record<string, unknown>[];
  components: {
    type: number;
    components: { type: number; style: number; label: string; custom_id: string }[];
  }[];
  flags: number;
  interaction_metadata?: { id: string; type: number; user: { id: string } };
  message_reference?: { message_id: string };
  edits: number;
  /** Set by the emulator when the message was written through an interaction webhook. */
  via?: 'interaction' | 'bot';
}

export interface InteractionResult {
  status: number;
  body: Record<string, unknown> | undefined;
  /** Discord waits 3 seconds for the initial response; later counts as "did not respond". */
  timedOut: boolean;
  interaction: Record<string, unknown>;
}

export interface DiscordEmulator {
  /** API base URL for `chat.discord.apiBaseUrl`. */
  url: string;
  applicationId: string;
  publicKeyHex: string;
  botToken: string;
  guildId: string;
  /** Registered commands: `global` and per guild. */
  commands: { global: Record<string, unknown>[]; guilds: Map<string, Record<string, unknown>[]> };
  messages: EmulatedMessage[];
  /** API requests received (method, path with tokens masked, status answered). */
  requests: { method: string; path: string; status: number }[];
  /** Move the emulator's clock (interaction tokens expire after 15 minutes). */
  clock: { offsetMs: number };
  /** Answer the next `n` API requests with 429 (retry_after 50 ms). */
  rateLimitNext(n: number): void;
  /** Save the interactions endpoint URL; validates it like the Developer Portal does. */
  setInteractionsUrl(url: string): Promise<void>;
  /** A person runs `/<command> <subcommand> …` (must be registered). */
  slash(input: {
    user: string;
    channel: string;
    subcommand: string;
    options?: Record<string, string | number | boolean>;
  }): Promise<InteractionResult>;
  /** A person clicks a button of a message. */
  click(input: { user: string; message: EmulatedMessage; customId: string }): Promise<InteractionResult>;
  /** Send any interaction payload, optionally signed wrongly or at another time (security tests). */
  deliver(
    payload: Record<string, unknown>,
    options?: {
      key?: KeyObject;
      timestamp?: number;
      tamper?: (body: string) => string;
      headers?: Record<string, string>;
    },
  ): Promise<InteractionResult>;
  /** Build a slash-command interaction payload without sending it. */
  interaction(input: {
    user: string;
    channel: string;
    subcommand: string;
    options?: Record<string, string | number | boolean>;
    applicationId?: string;
  }): Record<string, unknown>;
  channel(id: string): EmulatedMessage[];
  close(): Promise<void>;
}

const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
  rows: 5,
  perRow: 5,
  label: 80,
  customId: 100,
};
const TOKEN_MS = 15 * 60_000;
const FLAG_LOADING = 128;
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface TokenState {
  interactionId: string;
  type: number;
  user: string;
  channel: string;
  at: number;
  /** The callback type of the initial response, once received. */
  ack?: number;
  original?: string;
  created: Set<string>;
}

let counter = 0n;
function snowflake(): string {
  counter += 1n;
  return ((BigInt(Date.now() - 1420070400000) << 22n) + counter).toString();
}

function formError(errors: string[]): { status: number; body: Record<string, unknown> } {
  return {
    status: 400,
    body: {
      code: 50035,
      message: 'Invalid Form Body',
      errors: { _errors: errors.map((m) => ({ code: 'BASE_TYPE_INVALID', message: m })) },
    },
  };
}

/** Discord's message limits; returns what is wrong, or nothing. */
export function messageProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const content = typeof body.content === 'string' ? body.content : '';
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [];
  const components = Array.isArray(body.components) ? (body.components as Record<string, unknown>[]) : [];
  if (content.length > LIMITS.content) problems.push(`content: must be ${LIMITS.content} or fewer in length`);
  if (embeds.length > LIMITS.embeds) problems.push('embeds: too many');
  let total = 0;
  for (const embed of embeds) {
    const description = typeof embed.description === 'string' ? embed.description : '';
    const title = typeof embed.title === 'string' ? embed.title : '';
    const fields = Array.isArray(embed.fields) ? (embed.fields as { name?: unknown; value?: unknown }[]) : [];
    const footer = (embed.footer as { text?: unknown } | undefined)?.text;
    if (description.length > LIMITS.description) problems.push('embeds.description: too long');
    if (title.length > LIMITS.title) problems.push('embeds.title: too long');
    if (fields.length > LIMITS.fields) problems.push('embeds.fields: too many');
    for (const f of fields) {
      if (typeof f.name !== 'string' || f.name.length === 0 || f.name.length > LIMITS.fieldName)
        problems.push('embeds.fields.name: 1 to 256');
      if (typeof f.value !== 'string' || f.value.length === 0 || f.value.length > LIMITS.fieldValue)
        problems.push('embeds.fields.value: 1 to 1024');
      total += String(f.name ?? '').length + String(f.value ?? '').length;
    }
    if (typeof footer === 'string' && footer.length > LIMITS.footer)
      problems.push('embeds.footer.text: too long');
    total += description.length + title.length + (typeof footer === 'string' ? footer.length : 0);
  }
  if (total > LIMITS.total) problems.push('embeds: the total size of embeds exceeds 6000 characters');
  if (components.length > LIMITS.rows) problems.push('components: too many action rows');
  const ids = new Set<string>();
  for (const row of components) {
    const buttons = Array.isArray(row.components) ? (row.components as Record<string, unknown>[]) : [];
    if (row.type !== 1 || buttons.length === 0 || buttons.length > LIMITS.perRow)
      problems.push('components: invalid action row');
    for (const b of buttons) {
      const id = typeof b.custom_id === 'string' ? b.custom_id : '';
      const label = typeof b.label === 'string' ? b.label : '';
      if (b.type !== 2 || ![1, 2, 3, 4].includes(Number(b.style)))
        problems.push('components.button: invalid type or style');
      if (id.length === 0 || id.length > LIMITS.customId) problems.push('components.custom_id: 1 to 100');
      if (label.length > LIMITS.label) problems.push('components.label: too long');
      if (ids.has(id)) problems.push('components.custom_id: duplicated');
      ids.add(id);
    }
  }
  if (content.trim() === '' && embeds.length === 0 && components.length === 0) problems.push('empty');
  return problems;
}

/** Discord's checks of a bulk command overwrite. */
export function commandProblems(commands: unknown): string[] {
  if (!Array.isArray(commands)) return ['body must be an array of commands'];
  const problems: string[] = [];
  if (commands.length > 100) problems.push('too many commands');
  const checkOptions = (options: unknown, path: string, depth: number) => {
    if (options === undefined) return;
    if (!Array.isArray(options)) return problems.push(`${path}: must be an array`);
    if (options.length > 25) problems.push(`${path}: must be 25 or fewer in length`);
    const names = new Set<string>();
    let optionalSeen = false;
    const kinds = new Set<string>();
    for (const [i, o] of (options as Record<string, unknown>[]).entries()) {
      const at = `${path}.${i}`;
      const name = String(o.name ?? '');
      if (!NAME.test(name) || name !== name.toLowerCase()) problems.push(`${at}.name: invalid`);
      if (names.has(name)) problems.push(`${at}.name: duplicated`);
      names.add(name);
      const description = String(o.description ?? '');
      if (description.length < 1 || description.length > 100) problems.push(`${at}.description: 1 to 100`);
      const type = Number(o.type);
      if (![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].includes(type)) problems.push(`${at}.type: invalid`);
      kinds.add(type === 1 || type === 2 ? 'sub' : 'value');
      if (type === 1 || type === 2) {
        if (depth > 1) problems.push(`${at}: subcommands nest too deep`);
        if (o.required !== undefined && o.required !== false)
          problems.push(`${at}.required: not allowed for subcommands`);
        checkOptions(o.options, `${at}.options`, depth + 1);
      } else {
        if (o.required === true && optionalSeen)
          problems.push(
            `${at}: APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID (required options must be placed before non-required options)`,
          );
        if (o.required !== true) optionalSeen = true;
        if ((o.min_value !== undefined || o.max_value !== undefined) && type !== 4 && type !== 10)
          problems.push(`${at}: min_value/max_value only for numbers`);
        if (o.options !== undefined) problems.push(`${at}.options: only subcommands have options`);
      }
    }
    if (kinds.size > 1) problems.push(`${path}: subcommands cannot be mixed with other options`);
    return undefined;
  };
  const names = new Set<string>();
  for (const [i, c] of (commands as Record<string, unknown>[]).entries()) {
    const name = String(c.name ?? '');
    if (!NAME.test(name) || name !== name.toLowerCase()) problems.push(`${i}.name: invalid`);
    if (names.has(name)) problems.push(`${i}.name: duplicated`);
    names.add(name);
    const type = c.type === undefined ? 1 : Number(c.type);
    const description = String(c.description ?? '');
    if (type === 1 && (description.length < 1 || description.length > 100))
      problems.push(`${i}.description: 1 to 100`);
    checkOptions(c.options, `${i}.options`, 1);
  }
  return problems;
}

export async function startDiscordEmulator(
  options: { channels?: readonly string[]; guildId?: string } = {},
): Promise<DiscordEmulator> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const publicKeyHex = Buffer.from(String(jwk.x), 'base64url').toString('hex');
  const applicationId = snowflake();
  const botUserId = applicationId;
  const botToken = `${Buffer.from(applicationId).toString('base64')}.${randomBytes(4).toString('hex')}.${randomBytes(20).toString('base64url')}`;
  const guildId = options.guildId ?? snowflake();
  const channels = new Set(options.channels ?? []);
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const tokens = new Map<string, TokenState>();
  const messages: EmulatedMessage[] = [];
  const requests: DiscordEmulator['requests'] = [];
  const commands: DiscordEmulator['commands'] = { global: [], guilds: new Map() };
  let interactionsUrl: string | undefined;
  let limited = 0;

  const botAuthor = { id: botUserId, bot: true, username: 'Wheelhouse' };

  function write(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  function apply(message: EmulatedMessage, body: Record<string, unknown>) {
    if (typeof body.content === 'string') message.content = body.content;
    if (Array.isArray(body.embeds)) message.embeds = body.embeds as Record<string, unknown>[];
    if (Array.isArray(body.components)) message.components = body.components as EmulatedMessage['components'];
    message.flags &= ~FLAG_LOADING;
  }

  function newMessage(
    channel: string,
    body: Record<string, unknown>,
    extra: Partial<EmulatedMessage>,
  ): EmulatedMessage {
    const message: EmulatedMessage = {
      id: snowflake(),
      channel_id: channel,
      author: botAuthor,
      content: '',
      embeds: [],
      components: [],
      flags: 0,
      edits: 0,
      ...extra,
    };
    apply(message, body);
    messages.push(message);
    return message;
  }

  const invalidToken = { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
  const unknownWebhook = { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
  const unknownMessage = { status: 404, body: { message: 'Unknown Message', code: 10008 } };

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: IncomingMessage['headers'],
    body: unknown,
  ) {
    const isBot = headers.authorization === `Bot ${botToken}`;
    const needBot = () =>
      isBot ? undefined : { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    const json = (body ?? {}) as Record<string, unknown>;
    let m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path);
    if (m) {
      const [, app, token, messageId] = m;
      const state = app === applicationId ? tokens.get(decodeURIComponent(token ?? '')) : undefined;
      if (!state || now() - state.at > TOKEN_MS) return invalidToken;
      if (state.ack === undefined) return unknownWebhook;
      const problems = messageProblems(json);
      if (method === 'POST' && !messageId) {
        if (problems.length > 0) return formError(problems);
        const message = newMessage(state.channel, json, {
          interaction_metadata: { id: state.interactionId, type: state.type, user: { id: state.user } },
          via: 'interaction',
        });
        state.created.add(message.id);
        return { status: 200, body: query.get('wait') === 'true' ? message : undefined };
      }
      if (method === 'PATCH' && messageId) {
        if (problems.length > 0 && !(problems.length === 1 && problems[0] === 'empty'))
          return formError(problems);
        const id = messageId === '@original' ? state.original : messageId;
        if (!id || (id !== state.original && !state.created.has(id))) return unknownMessage;
        const message = messages.find((x) => x.id === id);
        if (!message) return unknownMessage;
        apply(message, json);
        message.edits += 1;
        return { status: 200, body: message };
      }
      return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
    }
    m = /^\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(path);
    if (m) {
      const denied = needBot();
      if (denied) return denied;
      const [, channel, messageId] = m;
      if (!channel || !channels.has(channel))
        return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      const problems = messageProblems(json);
      if (method === 'POST' && !messageId) {
        if (problems.length > 0) return formError(problems);
        const ref = json.message_reference as
          | { message_id?: string; fail_if_not_exists?: boolean }
          | undefined;
        const target = ref?.message_id ? messages.find((x) => x.id === ref.message_id) : undefined;
        if (ref?.message_id && !target && ref.fail_if_not_exists !== false)
          return formError(['message_reference: Unknown message']);
        return {
          status: 200,
          body: newMessage(channel, json, {
            via: 'bot',
            ...(target ? { message_reference: { message_id: target.id } } : {}),
          }),
        };
      }
      if (method === 'PATCH' && messageId) {
        const message = messages.find((x) => x.id === messageId && x.channel_id === channel);
        if (!message) return unknownMessage;
        if (message.author.id !== botUserId)
          return {
            status: 403,
            body: { message: 'Cannot edit a message authored by another user', code: 50005 },
          };
        if (problems.length > 0) return formError(problems);
        apply(message, json);
        message.edits += 1;
        return { status: 200, body: message };
      }
      return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
    }
    m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (m) {
      const denied = needBot();
      if (denied) return denied;
      const [, app, guild] = m;
      if (app !== applicationId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
      if (method === 'GET')
        return { status: 200, body: guild ? (commands.guilds.get(guild) ?? []) : commands.global };
      if (method !== 'PUT') return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
      const problems = commandProblems(body);
      if (problems.length > 0) return formError(problems);
      const saved = (body as Record<string, unknown>[]).map((c) => ({
        ...c,
        id: snowflake(),
        application_id: applicationId,
        version: snowflake(),
      }));
      if (guild) commands.guilds.set(guild, saved);
      else commands.global = saved;
      return { status: 200, body: saved };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const path = url.pathname.replace(/^\/api\/v10/, '');
      const shown = path.replace(/^(\/webhooks\/\d+\/)[^/]+/, '$1{token}');
      if (limited > 0) {
        limited -= 1;
        requests.push({ method: req.method ?? '', path: shown, status: 429 });
        return write(res, 429, { message: 'You are being rate limited.', retry_after: 0.05, global: false });
      }
      let body: unknown;
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          requests.push({ method: req.method ?? '', path: shown, status: 400 });
          return write(res, 400, { message: '400: Bad Request', code: 50109 });
        }
      }
      const answer = route(req.method ?? 'GET', path, url.searchParams, req.headers, body);
      requests.push({ method: req.method ?? '', path: shown, status: answer.status });
      write(res, answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function signed(body: string, key: KeyObject, timestamp: number) {
    const ts = String(timestamp);
    return { ts, signature: sign(null, Buffer.from(ts + body), key).toString('hex') };
  }

  async function deliver(
    payload: Record<string, unknown>,
    opts: Parameters<DiscordEmulator['deliver']>[1] = {},
  ): Promise<InteractionResult> {
    if (!interactionsUrl)
      throw new Error('no interactions endpoint URL saved; call setInteractionsUrl first');
    const body = JSON.stringify(payload);
    const { ts, signature } = signed(
      body,
      opts.key ?? privateKey,
      opts.timestamp ?? Math.floor(now() / 1000),
    );
    const sent = opts.tamper ? opts.tamper(body) : body;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 3000);
    try {
      const response = await fetch(interactionsUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
          'x-signature-ed25519': signature,
          'x-signature-timestamp': ts,
          ...opts.headers,
        },
        body: sent,
        signal: controller.signal,
      });
      const text = await response.text();
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        parsed = undefined;
      }
      const token = typeof payload.token === 'string' ? tokens.get(payload.token) : undefined;
      if (response.ok && token && parsed && typeof parsed.type === 'number')
        acknowledge(token, parsed, payload);
      return { status: response.status, body: parsed, timedOut: false, interaction: payload };
    } catch {
      return { status: 0, body: undefined, timedOut: true, interaction: payload };
    } finally {
      clearTimeout(timer);
    }
  }

  function acknowledge(
    state: TokenState,
    response: Record<string, unknown>,
    payload: Record<string, unknown>,
  ) {
    const type = Number(response.type);
    const data = (response.data ?? {}) as Record<string, unknown>;
    state.ack = type;
    const meta = { id: state.interactionId, type: state.type, user: { id: state.user } };
    if (type === 4 && messageProblems(data).length === 0) {
      state.original = newMessage(state.channel, data, { interaction_metadata: meta, via: 'interaction' }).id;
    } else if (type === 5) {
      const message = newMessage(
        state.channel,
        { content: '' },
        { interaction_metadata: meta, via: 'interaction' },
      );
      message.flags |= FLAG_LOADING;
      state.original = message.id;
    } else if (type === 6 || type === 7) {
      const clicked = (payload.message as { id?: string } | undefined)?.id;
      if (clicked) state.original = clicked;
      const message = messages.find((x) => x.id === clicked);
      if (type === 7 && message) apply(message, data);
    }
  }

  function base(type: number, user: string, channel: string, applicationIdOverride?: string) {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString('base64url')}`;
    tokens.set(token, { interactionId: id, type, user, channel, at: now(), created: new Set() });
    return {
      id,
      application_id: applicationIdOverride ?? applicationId,
      type,
      token,
      version: 1,
      guild_id: guildId,
      channel_id: channel,
      channel: { id: channel, type: 0, guild_id: guildId },
      member: {
        user: { id: user, username: `user${user.slice(-4)}`, global_name: null, discriminator: '0' },
        roles: [],
        permissions: '2248473465835073',
        joined_at: '2024-01-01T00:00:00.000000+00:00',
      },
      app_permissions: '2248473465835073',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
    };
  }

  function interaction(input: Parameters<DiscordEmulator['interaction']>[0]): Record<string, unknown> {
    const registered = [...(commands.guilds.get(guildId) ?? []), ...commands.global][0] as
      | {
          id: string;
          name: string;
          options?: {
            name: string;
            type: number;
            options?: { name: string; type: number; required?: boolean }[];
          }[];
        }
      | undefined;
    if (!registered) throw new Error('no slash command is registered; register one first');
    const sub = registered.options?.find((o) => o.name === input.subcommand && o.type === 1);
    if (!sub) throw new Error(`/${registered.name} has no subcommand ${input.subcommand}`);
    const given = input.options ?? {};
    for (const option of sub.options ?? []) {
      if (option.required && given[option.name] === undefined)
        throw new Error(`Discord requires option ${option.name} of /${registered.name} ${input.subcommand}`);
    }
    const options = Object.entries(given).map(([name, value]) => {
      const spec = sub.options?.find((o) => o.name === name);
      if (!spec) throw new Error(`/${registered.name} ${input.subcommand} has no option ${name}`);
      const ok =
        spec.type === 3
          ? typeof value === 'string'
          : spec.type === 4
            ? Number.isInteger(value)
            : typeof value === 'boolean';
      if (!ok) throw new Error(`option ${name} must be of type ${spec.type}`);
      return { name, type: spec.type, value };
    });
    return {
      ...base(2, input.user, input.channel, input.applicationId),
      data: {
        id: registered.id,
        name: registered.name,
        type: 1,
        guild_id: guildId,
        options: [{ name: input.subcommand, type: 1, options }],
      },
    };
  }

  return {
    url: `http://127.0.0.1:${port}/api/v10`,
    applicationId,
    publicKeyHex,
    botToken,
    guildId,
    commands,
    messages,
    requests,
    clock,
    rateLimitNext(n) {
      limited = n;
    },
    async setInteractionsUrl(url) {
      interactionsUrl = url;
      const ping = { id: snowflake(), application_id: applicationId, type: 1, token: 'ping', version: 1 };
      const good = await deliver(ping);
      if (good.status !== 200 || good.body?.type !== 1)
        throw new Error(
          `interactions endpoint did not answer a signed PING with PONG (status ${good.status})`,
        );
      const { privateKey: other } = generateKeyPairSync('ed25519');
      const bad = await deliver({ ...ping, id: snowflake() }, { key: other });
      if (bad.status !== 401)
        throw new Error(`interactions endpoint accepted a badly signed PING (status ${bad.status})`);
    },
    slash: (input) => deliver(interaction(input)),
    click(input) {
      const button = input.message.components
        .flatMap((r) => r.components)
        .find((b) => b.custom_id === input.customId);
      if (!button) throw new Error(`message ${input.message.id} has no button ${input.customId}`);
      const { edits: _edits, via: _via, ...message } = input.message;
      return deliver({
        ...base(3, input.user, input.message.channel_id),
        message,
        data: { custom_id: input.customId, component_type: 2 },
      });
    },
    deliver,
    interaction,
    channel: (id) => messages.filter((m) => m.channel_id === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
