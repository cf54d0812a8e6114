// One JSON call to a chat platform's REST API with the patience every platform asks for: rate
// limits (429) are waited out as the platform says, 5xx answers and broken connections are tried
// again a few times after a short backoff. What a failure means is the platform's business.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RestRequest {
  url: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  headers: Readonly<Record<string, string>>;
  /** Sent as JSON when present. */
  body?: unknown;
  /** Per attempt, ms (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Seconds to wait after a 429, read from the platform's headers or body. */
  retryAfterSeconds(response: Response, json: unknown): number | undefined;
  /** The error to throw when the platform cannot be reached at all, after the retries. */
  unreachable(err: unknown): Error;
}

export interface RestResponse {
  ok: boolean;
  status: number;
  statusText: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: unknown;
}

const RATE_LIMIT_ATTEMPTS = 5;
const FAILURE_ATTEMPTS = 3;

export async function restCall(request: RestRequest): Promise<RestResponse> {
  const doFetch = request.fetch ?? fetch;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers: { ...request.headers, 'content-type': 'application/json' },
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
      });
    } catch (err) {
      if (attempt < FAILURE_ATTEMPTS) {
        await sleep(250 * attempt);
        continue;
      }
      throw request.unreachable(err);
    }
    const json = parseJson(await response.text());
    const answer = { ok: response.ok, status: response.status, statusText: response.statusText, json };
    if (response.ok) return answer;
    if (response.status === 429 && attempt < RATE_LIMIT_ATTEMPTS) {
      const seconds = request.retryAfterSeconds(response, json);
      const ms = (seconds !== undefined && Number.isFinite(seconds) ? seconds : 1) * 1000;
      await sleep(Math.min(30_000, Math.max(50, ms)));
      continue;
    }
    if (response.status >= 500 && attempt < FAILURE_ATTEMPTS) {
      await sleep(250 * attempt);
      continue;
    }
    return answer;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
