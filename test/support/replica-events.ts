import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_TOKEN_FILE } from '../../src/server/admin-token.js';

/** An event as a replica's `/api/v1/events` streamed it (`replica` set when another replica relayed it). */
export interface SseEvent {
  id: number;
  type: string;
  data: {
    app?: string;
    replica?: string;
    syncId?: string;
    result?: string;
    revision?: string;
    changes?: { action: string }[];
  };
  /** `performance.now()` when it was read off the stream. */
  receivedAt: number;
}

/** Reads a replica's `/api/v1/events` as the dashboard does, collecting every event (also used by the bench). */
export async function subscribeEvents(replica: {
  url: string;
  data: string;
}): Promise<{ events: SseEvent[]; close(): void }> {
  const token = (await readFile(join(replica.data, ADMIN_TOKEN_FILE), 'utf8')).trim();
  const abort = new AbortController();
  const response = await fetch(`${replica.url}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (response.status !== 200)
    throw new Error(`GET ${replica.url}/api/v1/events answered ${response.status}`);
  const events: SseEvent[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = response.body?.getReader();
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      buffered += decoder.decode(read.value, { stream: true });
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const data = field('data');
        if (data)
          events.push({
            id: Number(field('id')),
            type: field('event') ?? '',
            data: JSON.parse(data),
            receivedAt: performance.now(),
          });
        end = buffered.indexOf('\n\n');
      }
    }
  })().catch(() => {});
  return { events, close: () => abort.abort() };
}
