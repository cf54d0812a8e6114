import { errorMessage, WheelhouseError } from '../../../core/index.js';
import { BOT_FRAMEWORK_SCOPE } from './settings.js';

export interface TokenClient {
  /** A bearer token for the connector: cached until 5 minutes before it expires. */
  token(): Promise<string>;
  /** Forget the cached token (the connector refused it). */
  invalidate(): void;
}

export interface TokenClientOptions {
  tokenUrl: string;
  appId: string;
  appPassword: string;
  /** The variable holding the password, for messages. */
  appPasswordEnv: string;
  scope?: string;
  now?: () => number;
  timeoutMs?: number;
}

/** Renew this long before expiry, so a token never expires in flight. */
const MARGIN_MS = 5 * 60_000;

/**
 * The bot's outbound token, by OAuth client credentials (`grant_type=client_credentials`, scope
 * `https://api.botframework.com/.default`), shared by every request until it is near expiry.
 */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  const now = options.now ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: options.appId,
          client_secret: options.appPassword,
          scope: options.scope ?? BOT_FRAMEWORK_SCOPE,
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `could not reach the token endpoint ${options.tokenUrl}: ${errorMessage(err)} — check chat.teams.tokenUrl and the network`,
        { cause: err },
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof body.access_token !== 'string') {
      const error = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      const description =
        typeof body.error_description === 'string'
          ? `: ${body.error_description.split('\n')[0]?.slice(0, 200)}`
          : '';
      throw new WheelhouseError(
        response.status === 400 || response.status === 401 ? 'UNAUTHENTICATED' : 'UNAVAILABLE',
        `the token endpoint ${options.tokenUrl} refused the bot's credentials (${error}${description}) — check chat.teams.appId, chat.teams.tenantId and the client secret in ${options.appPasswordEnv}`,
      );
    }
    const lifetimeMs =
      (typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || 3600) * 1000;
    cached = { token: body.access_token, renewAt: now() + Math.max(lifetimeMs - MARGIN_MS, lifetimeMs / 2) };
    return body.access_token;
  }

  return {
    async token() {
      if (cached && now() < cached.renewAt) return cached.token;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
