import { loadFromChild } from '../lib/load-child.js';
import { manyFileApps } from '../lib/many-apps.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { round } from '../lib/stats.js';
import { withServedRepo } from '../lib/wheelhouse.js';

const APPS = 1_000;
const SECONDS = 10;

/** `GET /api/v1/apps` throughput with 1,000 apps (each one File, auto-sync off so nothing runs). */
export const apiThroughput: Scenario = {
  name: 'api-apps-throughput',
  description: `GET /api/v1/apps with ${APPS} apps, 10 connections for ${SECONDS}s (autocannon in its own process)`,
  async run(context) {
    const files = manyFileApps(APPS, { environments: false, interval: '1h' });
    return withServedRepo(context, files, async ({ url, token, loadMs }) => {
      const rows: BenchRow[] = [];
      const headers = { authorization: `Bearer ${token}` };
      const listed = (await (await fetch(`${url}/api/v1/apps`, { headers })).json()) as {
        apps: unknown[];
      };
      if (listed.apps.length !== APPS)
        throw new Error(`expected ${APPS} apps, the API lists ${listed.apps.length}`);
      const body = await (await fetch(`${url}/api/v1/apps`, { headers })).arrayBuffer();
      const load = async (label: string, path: string, extra: Record<string, string> = {}) => {
        const result = await loadFromChild(`${url}${path}`, {
          connections: 10,
          seconds: SECONDS,
          headers: { ...headers, ...extra },
        });
        if (result.errors > 0 || result.timeouts > 0)
          context.log(`${label}: ${result.errors} connection errors, ${result.timeouts} timeouts`);
        return result;
      };
      const full = await load('full list', '/api/v1/apps');
      if (full.non2xx > 0) context.log(`${full.non2xx} responses were not 2xx`);
      rows.push({
        metric: 'GET /api/v1/apps',
        value: round(full.requests.average),
        unit: 'req/s',
        target: '>= 500 req/s',
        detail: {
          'latency p50 ms': full.latency.p50,
          'latency p99 ms': full.latency.p99,
          'response KiB': round(body.byteLength / 1024),
          requests: full.requests.total,
        },
      });
      // As a browser asks: gzipped, compressed once per list (Content-Length is the gzipped size).
      const gzip = { 'accept-encoding': 'gzip' };
      const zipped = await fetch(`${url}/api/v1/apps`, { headers: { ...headers, ...gzip } });
      const gzipped = await load('gzipped list', '/api/v1/apps', gzip);
      rows.push({
        metric: 'GET /api/v1/apps, Accept-Encoding: gzip',
        value: round(gzipped.requests.average),
        unit: 'req/s',
        detail: {
          'latency p50 ms': gzipped.latency.p50,
          'response KiB': round(Number(zipped.headers.get('content-length') ?? 0) / 1024),
        },
      });
      // fetch asks for gzip unless told otherwise; the load below does not, so take the plain tag.
      const plain = { headers: { ...headers, 'accept-encoding': 'identity' } };
      const etag = (await fetch(`${url}/api/v1/apps`, plain)).headers.get('etag') ?? '';
      const notModified = await load('If-None-Match', '/api/v1/apps', { 'if-none-match': etag });
      rows.push({
        metric: 'GET /api/v1/apps, If-None-Match (304)',
        value: round(notModified.requests.average),
        unit: 'req/s',
        detail: { 'latency p50 ms': notModified.latency.p50, '304 answers': notModified['3xx'] ?? 0 },
      });
      const page = await load('one page', '/api/v1/apps?health=Healthy&limit=50');
      rows.push({
        metric: 'GET /api/v1/apps?health=Healthy&limit=50',
        value: round(page.requests.average),
        unit: 'req/s',
        detail: { 'latency p50 ms': page.latency.p50 },
      });
      rows.push({ metric: `start + load ${APPS} apps`, value: round(loadMs), unit: 'ms' });
      return rows;
    });
  },
};
