import type { Agent } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { RequestOptions } from 'node:https';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { WheelhouseError } from '../../core/index.js';
import { inClusterConfig } from './in-cluster.js';
import type { KubeOptions } from './options.js';
import { forbiddenHint } from './rbac-hint.js';

/** No request waits longer on an API server that stopped answering (watches are separate). */
const REQUEST_TIMEOUT_MS = 60_000;

/** The cluster a target points at: a kubeconfig context, or the pod's service account. */
export function loadKubeConfig(
  target: string,
  options: KubeOptions,
  env: Readonly<Record<string, string | undefined>>,
): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig) {
    kc.loadFromFile(options.kubeconfig);
    if (options.context) {
      if (!kc.getContextObject(options.context)) {
        throw new WheelhouseError(
          'CONFIG_INVALID',
          `kubernetes target "${target}": context "${options.context}" is not in ${options.kubeconfig} (contexts: ${
            kc
              .getContexts()
              .map((c) => c.name)
              .join(', ') || 'none'
          })`,
          { details: { path: `targets.${target}.context` } },
        );
      }
      kc.setCurrentContext(options.context);
    }
    return kc;
  }
  return inClusterConfig(target, env);
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Resolve with the body as text (Pod logs), not parsed JSON. */
  text?: boolean;
}

/** A `Status` answer of the API server turned into an error that keeps its code and message. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeApiError && err.status === 404;

/**
 * JSON requests on the client's connection settings (TLS, credentials, token refresh). Objects go
 * out and come back exactly as the API server has them: the client's typed `KubernetesObjectApi`
 * would round-trip them through its generated models, which drop fields those models do not know
 * (a newer cluster's fields) — an apply would then silently lose them.
 */
export class KubeClient {
  private agent: Agent | undefined;
  readonly server: string;

  constructor(readonly config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new WheelhouseError('CONFIG_INVALID', 'the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  async request<T>(req: KubeRequest): Promise<T> {
    const opts: RequestOptions = { method: req.method, headers: {} };
    await this.config.applyToHTTPSOptions(opts);
    this.agent ??= keepAlive(opts.agent as Agent | undefined);
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      // Node frames no body of a DELETE by itself: without a length the server would read it as
      // the start of the next request on a kept-alive connection.
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const deadline = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    return new Promise<T>((resolve, reject) => {
      const call = send(url, { method: req.method, headers, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let body: unknown = text;
          if (!(req.text && status < 300)) {
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = text;
            }
          }
          if (status >= 200 && status < 300) resolve(body as T);
          else reject(apiError(status, body, `${req.method} ${req.path}`));
        });
      });
      call.on('error', reject);
      if (payload !== undefined) call.write(payload);
      call.end();
    });
  }
}

/** Idle connections are closed after this long (well before an API server drops them). */
const IDLE_SOCKET_MS = 30_000;

/**
 * The client library's agent with its TLS settings (CA, client certificate and key), but keeping
 * connections open: its own agent opens a connection, with a full TLS handshake, per request, which
 * cost most of an apply's time. A proxy's agent is kept as it is.
 */
function keepAlive(agent: Agent | undefined): Agent | undefined {
  if (!(agent instanceof HttpsAgent)) return agent;
  const options = (agent as HttpsAgent & { options: Record<string, unknown> }).options;
  return new HttpsAgent({ ...options, keepAlive: true, timeout: IDLE_SOCKET_MS });
}

function apiError(status: number, body: unknown, what: string): KubeApiError {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const message =
    typeof record.message === 'string'
      ? record.message
      : typeof body === 'string' && body
        ? body
        : `${what}: HTTP ${status}`;
  const reason = typeof record.reason === 'string' ? record.reason : String(status);
  const hint = status === 403 ? forbiddenHint(message) : undefined;
  return new KubeApiError(status, reason, hint ? `${message} — ${hint}` : message, body);
}
