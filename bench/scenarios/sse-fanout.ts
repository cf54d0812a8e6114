import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EventPayload, WheelhouseEvent } from '../../src/core/index.js';
import { manyAppName, manyFileApps } from '../lib/many-apps.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import type { ClientFigures, OpenRequest } from '../lib/sse-clients-child.js';
import { percentile, round } from '../lib/stats.js';
import { withServedRepo } from '../lib/wheelhouse.js';

const APPS = 1_000;
const CLIENTS = 200;
/** Each window replays the recorded syncs of every app within this many seconds. */
const REPLAY_SECONDS = 20;
/** Windows without and with the SSE clients, alternated. */
const PAIRS = 3;
/** What the dashboard's app page re-reads the list on (src/web/pages/apps-page.tsx, REFRESH_ON). */
const LIST_EVENTS = [
  'app.updated',
  'sync.started',
  'sync.finished',
  'health.changed',
  'drift.detected',
  'source.updated',
  'audit.appended',
];
/** How the dashboard coalesces those re-reads (src/web/api/use-fetch.ts). */
const DASHBOARD_REFETCH = { quietMs: 200, maxWaitMs: 1_000, gapMs: 1_000, on: LIST_EVENTS };

/**
 * Server CPU for 200 dashboards while 1,000 apps change. The events are real: every app is synced
 * once over the API and what the engine published is recorded; each window then publishes those
 * payloads again through the engine's bus (new ids; every listener runs as in production), in the
 * recorded order and spacing spread over REPLAY_SECONDS, so windows differ only in who is
 * connected. The clients run in a child process; the CPU is this process's (`process.cpuUsage`),
 * where the server runs, and the figure is the difference from the windows without clients.
 */
export const sseFanout: Scenario = {
  name: 'sse-fanout',
  description: `${CLIENTS} clients on /api/v1/events while ${APPS} apps sync (server CPU, clients in a child)`,
  async run(context) {
    const files = manyFileApps(APPS, { environments: false, interval: '1h' });
    return withServedRepo(context, files, async ({ running, url, token }) => {
      const rows: BenchRow[] = [];
      const recorded = await recordSyncs(url, token, running.engine.events);
      const rate = recorded.length / REPLAY_SECONDS;
      context.log(
        `recorded ${recorded.length} events from ${APPS} syncs; replaying them over ${REPLAY_SECONDS}s`,
      );
      await untilQuiet(context);

      const publish = () => replay(recorded, (p) => running.engine.events.publish(p));
      const open = { url, token, clients: CLIENTS };
      // Alternated, so load that comes and goes on the machine falls on both sides alike; the
      // figure is the median of the pairs' differences.
      const alone: Measured[] = [];
      const streams: (Measured & { figures: ClientFigures })[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        alone.push(await measure(publish));
        streams.push(await withClients(open, publish));
      }
      const baseline = median(alone.map((a) => a.cpuPercent));
      const differences = streams.map((s, i) => s.cpuPercent - (alone[i]?.cpuPercent ?? 0));
      const delivered = streams.flatMap((s) => s.figures.events);
      rows.push({
        metric: `server CPU for ${CLIENTS} SSE clients`,
        value: round(median(differences), 2),
        unit: '%',
        target: '< 5 % of a core',
        detail: {
          'CPU without / with clients, % of a core, per pair': alone
            .map((a, i) => `${round(a.cpuPercent, 1)} / ${round(streams[i]?.cpuPercent ?? 0, 1)}`)
            .join(', '),
          'events published per window': recorded.length,
          'events/s': round(rate),
          'window wall time, s (nominal 21)': streams.map((w) => round(w.wallSeconds, 1)).join(', '),
          'events per client (min / of)': `${Math.min(...delivered)} / ${recorded.length}`,
          'KiB per client per window': round(mean(streams.flatMap((w) => w.figures.bytes)) / 1024, 0),
          'streams the server dropped': sum(streams.map((s) => s.figures.ended)),
          'frames sent/s (all clients)': round(rate * CLIENTS),
        },
      });

      const dashboards = await withClients({ ...open, refetchList: DASHBOARD_REFETCH }, publish, 2_000);
      const seen = dashboards.figures;
      rows.push({
        metric: `server CPU for ${CLIENTS} dashboards (events + app list re-reads)`,
        value: round(dashboards.cpuPercent - baseline, 2),
        unit: '%',
        detail: {
          'CPU with dashboards / median without clients, % of a core': `${round(dashboards.cpuPercent, 1)} / ${round(baseline, 1)}`,
          'window wall time, s (nominal 21)': round(dashboards.wallSeconds, 1),
          'app list 200s / 304s': `${seen.listFull} / ${seen.listNotModified}`,
          'app list MiB sent': round(seen.listBytes / (1024 * 1024)),
          'events per client (min)': Math.min(...seen.events),
          'streams the server dropped': seen.ended,
        },
      });
      return rows;
    });
  },
};

type Bus = { subscribe(listener: (event: WheelhouseEvent) => void): () => void };

/** One recorded event: what was published, and when (ms after the first sync was asked for). */
interface Recorded {
  payload: EventPayload;
  atMs: number;
}

/** Syncs every app over the API (20 at a time) and returns what the engine published meanwhile. */
async function recordSyncs(url: string, token: string, events: Bus): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  let finished = 0;
  const started = performance.now();
  const off = events.subscribe((event) => {
    const { id: _id, at: _at, replica: _replica, ...payload } = event;
    recorded.push({ payload: payload as EventPayload, atMs: performance.now() - started });
    if (event.type === 'sync.finished') finished++;
  });
  try {
    const names = Array.from({ length: APPS }, (_, i) => manyAppName(i));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(
        names.slice(i, i + 20).map(async (name) => {
          const response = await fetch(`${url}/api/v1/apps/${name}/sync`, {
            method: 'POST',
            headers,
            body: '{}',
          });
          if (!response.ok)
            throw new Error(`sync ${name} answered ${response.status}: ${await response.text()}`);
        }),
      );
    }
    const deadline = performance.now() + 120_000;
    while (finished < APPS) {
      if (performance.now() > deadline)
        throw new Error(
          `only ${finished} of ${APPS} syncs finished within 2 minutes; see the data dir's log`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    off();
  }
  // Spread over REPLAY_SECONDS, in the recorded order and spacing, so runs compare at one rate.
  const span = recorded.at(-1)?.atMs || 1;
  return recorded.map((r) => ({ ...r, atMs: (r.atMs / span) * REPLAY_SECONDS * 1000 }));
}

/**
 * Publishes the recorded payloads at the pace they were recorded: every 10 ms what is due, each
 * event in a turn of its own (as the engine publishes them, from separate steps of separate syncs),
 * so nothing that batches per turn looks better than it would. Resolves with the last id.
 */
function replay(
  recorded: readonly Recorded[],
  publish: (p: EventPayload) => WheelhouseEvent,
): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let next = 0;
    let lastId = 0;
    const timer = setInterval(() => {
      const now = performance.now() - started;
      for (let event = recorded[next]; event && event.atMs <= now; event = recorded[++next]) {
        const payload = event.payload;
        const last = next === recorded.length - 1;
        setImmediate(() => {
          lastId = publish(payload).id;
          if (last) resolve(lastId);
        });
      }
      if (next >= recorded.length) clearInterval(timer);
    }, 10);
  });
}

/**
 * CPU time of this process while `work` runs and one second after (for what it left queued), as a
 * share of that nominal time (REPLAY_SECONDS + 1 s), not of the wall time: a window stretches when
 * the process cannot keep up (or the machine is busy), which would make the same work look cheaper.
 * Above 100 %: threads besides the event loop (GC, libuv) worked too.
 */
async function measure(work: () => Promise<number>): Promise<Measured> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lastId = await work();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return {
    cpuPercent: (cpuMs / (REPLAY_SECONDS * 1000 + 1_000)) * 100,
    lastId,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** Waits (up to 30 s) until this process uses under 10 % of a core, so the recording's tail is not measured. */
async function untilQuiet(context: { log(message: string): void }): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const used = process.cpuUsage(cpu);
    if ((used.user + used.system) / 1e4 < 10) return;
  }
  context.log('still busy 30 s after the syncs; measuring anyway');
}

/** Opens the clients in a child process, measures one replay window, and closes them. */
async function withClients(
  open: OpenRequest,
  publish: () => Promise<number>,
  lingerMs = 0,
): Promise<Measured & { figures: ClientFigures }> {
  const child = fork(fileURLToPath(new URL('../lib/sse-clients-child.js', import.meta.url)));
  try {
    const ask = clientsOf(child);
    await ask({ open }, 'opened');
    const measured = await measure(publish);
    if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
    const { report } = (await ask({ report: true }, 'report')) as { report: ClientFigures };
    await ask({ close: true }, undefined);
    return { ...measured, figures: report };
  } finally {
    if (child.connected) child.kill();
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: number[]) => percentile(values, 50);
const mean = (values: number[]) => sum(values) / values.length;

interface Measured {
  cpuPercent: number;
  lastId: number;
  /** How long the window took (REPLAY_SECONDS + 1 s when the process keeps up). */
  wallSeconds: number;
}

/** Request/answer over the child's IPC channel; the answer is the first message with `key`. */
function clientsOf(child: ReturnType<typeof fork>) {
  return (message: object, key: string | undefined): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (key === undefined) {
        child.send(message);
        child.once('disconnect', () => resolve(undefined));
        return;
      }
      const onMessage = (answer: Record<string, unknown>) => {
        if (answer.error) {
          child.off('message', onMessage);
          reject(new Error(`the SSE clients' process failed: ${String(answer.error)}`));
        } else if (key in answer) {
          child.off('message', onMessage);
          resolve(answer);
        }
      };
      child.on('message', onMessage);
      child.send(message);
    });
}
