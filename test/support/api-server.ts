import { readFile } from 'node:fs/promises';
import { afterAll } from 'vitest';
import { type Engine, type Store, silentLogger } from '../../src/core/index.js';
import {
  createServer,
  type RunningServer,
  type ServerDeps,
  type ServerOptions,
} from '../../src/server/index.js';
import { tempDirs } from './tmp.js';

export interface TestServer extends RunningServer {
  token: string;
  dataDir: string;
  /** fetch against the server with the admin token (unless `headers.authorization` is given). */
  api(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Starts the real HTTP server on 127.0.0.1:0 for a test file; closed in afterAll (also on failure).
 * Call at module or describe level.
 */
export function apiServers(): (
  deps: { engine: Engine; store: Store } & Partial<ServerDeps>,
  options?: ServerOptions,
) => Promise<TestServer> {
  const tmp = tempDirs();
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  return async (deps, options = {}) => {
    const dataDir = await tmp('api-data');
    const server = await createServer({ log: silentLogger, dataDir, ...deps }, { port: 0, ...options });
    servers.push(server);
    const token = (await readFile(server.adminTokenFile, 'utf8')).trim();
    return {
      ...server,
      token,
      dataDir,
      api(path, init = {}) {
        const headers = new Headers(init.headers);
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
        return fetch(`${server.url}${path}`, { ...init, headers });
      },
    };
  };
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads server-sent events from a fetch Response: comments are returned as `{ event: ':' }`. */
export function sseReader(response: Response): {
  next(): Promise<SseMessage | undefined>;
  cancel(): Promise<void>;
} {
  if (!response.body) throw new Error('response has no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseMessage[] = [];
  const parse = (block: string): SseMessage[] => {
    const out: SseMessage[] = [];
    const message: SseMessage = { data: '' };
    let hasField = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) out.push({ event: ':', data: line.slice(1).trim() });
      else {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') message.id = value;
        else if (field === 'event') message.event = value;
        else if (field === 'data') message.data = message.data ? `${message.data}\n${value}` : value;
        else continue;
        hasField = true;
      }
    }
    if (hasField && (message.data !== '' || message.event !== undefined)) out.push(message);
    return out;
  };
  return {
    async next() {
      while (queue.length === 0) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          queue.push(...parse(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
      return queue.shift();
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

/** The next message that is not a comment and passes `accept`. */
export async function nextEvent(
  reader: ReturnType<typeof sseReader>,
  accept: (m: SseMessage) => boolean = () => true,
): Promise<SseMessage> {
  for (;;) {
    const message = await reader.next();
    if (!message) throw new Error('event stream ended');
    if (message.event !== ':' && accept(message)) return message;
  }
}
