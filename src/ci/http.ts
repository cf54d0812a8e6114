import type { CiServerSpec } from '../core/index.js';
import { WheelhouseError } from '../core/index.js';

/** How long one request to a CI server may take before it counts as down. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface CiResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One request to a CI server. A network failure or an unexpected status becomes an error that
 * names the server, the request and what to check; the response body is quoted briefly (CI
 * servers answer errors in text) but request headers (the credentials) never are.
 */
export async function ciRequest(
  spec: CiServerSpec,
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string; ok?: readonly number[] } = {},
): Promise<CiResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
      redirect: method === 'GET' ? 'follow' : 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const why =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new WheelhouseError(
      'UNAVAILABLE',
      `CI server ${spec.name} (${spec.kind}) could not be reached: ${method} ${url} failed (${why}); check that it is up and that ci.${spec.name} in wheelhouse.yaml points at it`,
      { cause: err, details: { ci: spec.name } },
    );
  }
  const text = await response.text();
  const ok = init.ok ?? [200, 201, 202, 204];
  if (!ok.includes(response.status)) {
    const brief = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new WheelhouseError(
      response.status === 404
        ? 'NOT_FOUND'
        : response.status === 401 || response.status === 403
          ? 'FORBIDDEN'
          : 'UNAVAILABLE',
      `CI server ${spec.name} (${spec.kind}) answered ${method} ${url} with ${response.status}${brief ? `: ${brief}` : ''}; ${hintFor(spec, response.status)}`,
      { details: { ci: spec.name, status: response.status } },
    );
  }
  return { status: response.status, headers: response.headers, text };
}

export function parseJson<T>(spec: CiServerSpec, url: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `CI server ${spec.name} (${spec.kind}) answered ${url} with something that is not JSON; check that ci.${spec.name} points at the server's API`,
      { cause: err, details: { ci: spec.name } },
    );
  }
}

function hintFor(spec: CiServerSpec, status: number): string {
  if (status === 401 || status === 403) {
    const env =
      spec.kind === 'gitlab'
        ? `${spec.triggerTokenEnv}${spec.tokenEnv ? ` / ${spec.tokenEnv}` : ''}`
        : spec.tokenEnv;
    return `check the credentials in ${env} (ci.${spec.name} in wheelhouse.yaml) and that they may run this job`;
  }
  if (status === 404)
    return (
      "check the job name (`builds <ci>/<job>` lists a job's builds) and the server's settings under ci." +
      spec.name
    );
  return 'the CI server refused the request; try again, or look at the server';
}

/** The secret named by an env var, or an error saying which variable to set. */
export function secretFrom(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  spec: CiServerSpec,
  field: string,
): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `CI server ${spec.name}: the environment variable ${name} (ci.${spec.name}.${field} in wheelhouse.yaml) is not set; set it where Wheelhouse runs and restart it`,
      { details: { ci: spec.name } },
    );
  }
  return value;
}

/** The last `n` non-empty lines of a text. */
export function lastLines(text: string, n: number): string[] {
  const lines = text.replace(/\r/g, '').split('\n');
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  return lines.slice(-n);
}
