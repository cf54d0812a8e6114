// Many dashboards' event streams in their own process (forked by the `sse-fanout` scenario), so
// reading 200 streams costs this process CPU, not the server's it measures. Over IPC: the parent
// sends { open: { url, token, clients, refetchList } }, then { report: true } and { close: true };
// this process answers { opened }, { report: ClientFigures } and { error }.
import http from 'node:http';

export interface ClientFigures {
  /** Events (frames with an id) each stream received. */
  events: number[];
  /** The highest event id each stream received. */
  lastIds: number[];
  /** Bytes each stream received. */
  bytes: number[];
  /** Streams the server ended (a client too slow to keep up is dropped), and after how many events. */
  ended: number;
  endedAfter: number[];
  /** `GET /api/v1/apps` answered 200, answered 304, and the bytes of the 200s. */
  listFull: number;
  listNotModified: number;
  listBytes: number;
}

export interface OpenRequest {
  url: string;
  token: string;
  clients: number;
  /**
   * Each client also re-reads the app list the way the dashboard's app page does (src/web/api/
   * use-fetch.ts): after an event that changes the list, once events have paused for `quietMs`
   * and at most `maxWaitMs` after the first of them, no sooner than `gapMs` after the previous
   * request began, one request at a time, with `If-None-Match`.
   */
  refetchList?: { quietMs: number; maxWaitMs: number; gapMs: number; on: string[] };
}

const figures: ClientFigures = {
  events: [],
  lastIds: [],
  bytes: [],
  ended: 0,
  endedAfter: [],
  listFull: 0,
  listNotModified: 0,
  listBytes: 0,
};
const requests: http.ClientRequest[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
const timers = new Set<ReturnType<typeof setTimeout>>();
let closing = false;

/** One dashboard's list re-reads: coalesced as the page does, never two at once. */
function listReader(request: OpenRequest) {
  const policy = request.refetchList;
  let etag = '';
  let quiet: ReturnType<typeof setTimeout> | undefined;
  let firstPending = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  let running = false;
  let again = false;
  const fetchList = () => {
    if (quiet) timers.delete(quiet);
    quiet = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    lastStart = performance.now();
    // What a browser sends: the list comes gzipped (the bytes counted are those on the wire).
    const headers: Record<string, string> = {
      authorization: `Bearer ${request.token}`,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (etag) headers['if-none-match'] = etag;
    http
      .get(`${request.url}/api/v1/apps`, { agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => {
          if (res.statusCode === 304) figures.listNotModified++;
          else {
            figures.listFull++;
            figures.listBytes += bytes;
            etag = String(res.headers.etag ?? '');
          }
          running = false;
          if (again) {
            again = false;
            fetchList();
          }
        });
      })
      .on('error', () => {
        running = false;
      });
  };
  return (type: string) => {
    if (!policy?.on.includes(type)) return;
    const now = performance.now();
    if (quiet) {
      clearTimeout(quiet);
      timers.delete(quiet);
    } else firstPending = now;
    const due = Math.max(
      lastStart + policy.gapMs,
      Math.min(now + policy.quietMs, firstPending + policy.maxWaitMs),
    );
    const wait = Math.max(0, due - now);
    quiet = setTimeout(fetchList, wait);
    timers.add(quiet);
  };
}

function openStream(request: OpenRequest, index: number): Promise<void> {
  figures.events[index] = 0;
  figures.lastIds[index] = 0;
  figures.bytes[index] = 0;
  const onEvent = listReader(request);
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${request.url}/api/v1/events`,
      { headers: { authorization: `Bearer ${request.token}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET /api/v1/events answered ${res.statusCode}; is the token an admin token?`));
          res.resume();
          return;
        }
        resolve();
        res.setEncoding('utf8');
        res.on('close', () => {
          if (closing) return;
          figures.ended++;
          figures.endedAfter.push(figures.events[index] ?? 0);
        });
        let buffer = '';
        res.on('data', (chunk: string) => {
          figures.bytes[index] = (figures.bytes[index] ?? 0) + Buffer.byteLength(chunk);
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            if (!block.startsWith('id: ')) continue; // a heartbeat or a resync
            const idEnd = block.indexOf('\n');
            figures.events[index] = (figures.events[index] ?? 0) + 1;
            figures.lastIds[index] = Number(block.slice(4, idEnd));
            if (request.refetchList) onEvent(block.slice(idEnd + 8, block.indexOf('\n', idEnd + 1)));
          }
        });
      },
    );
    req.on('error', reject);
    requests.push(req);
  });
}

process.on('message', (message: { open?: OpenRequest; report?: true; close?: true }) => {
  if (message.open) {
    const open = message.open;
    Promise.all(Array.from({ length: open.clients }, (_, i) => openStream(open, i))).then(
      () => process.send?.({ opened: open.clients }),
      (err: unknown) => process.send?.({ error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (message.report) {
    process.send?.({ report: figures });
  } else if (message.close) {
    closing = true;
    for (const timer of timers) clearTimeout(timer);
    for (const req of requests) req.destroy();
    agent.destroy();
    process.disconnect();
  }
});
