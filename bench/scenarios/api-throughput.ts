import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { round } from '../lib/stats.js';
import { benchRepo, startBenchWheelhouse, stopBenchWheelhouse } from '../lib/wheelhouse.js';

const APPS = 1_000;
const SECONDS = 10;

/** `GET /api/v1/apps` throughput with 1,000 apps (each one File, auto-sync off so nothing runs). */
export const apiThroughput: Scenario = {
  name: 'api-apps-throughput',
  description: `GET /api/v1/apps with ${APPS} apps, 10 connections for ${SECONDS}s (autocannon)`,
  async run(context) {
    const repo = await context.tmp('control');
    const data = await context.tmp('data');
    const files: Record<string, string> = {};
    const apps: string[] = [];
    for (let i = 0; i < APPS; i++) {
      const name = `app-${String(i).padStart(4, '0')}`;
      apps.push(`  - { name: ${name}, path: apps/${name}, interval: 1h, sync: { auto: false } }`);
      files[`apps/${name}/config.yaml`] =
        `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: config }\nspec:\n  path: ${name}/config.txt\n  content: "hello ${i}"\n`;
    }
    files['wheelhouse.yaml'] = `apps:\n${apps.join('\n')}\n`;
    await benchRepo(repo, files);
    const loadStarted = performance.now();
    const running = await startBenchWheelhouse(repo, data);
    const server = running.server;
    if (!server) throw new Error('the HTTP server did not start');
    const rows: BenchRow[] = [];
    try {
      await running.engine.settled();
      const loadMs = performance.now() - loadStarted;
      const token = (await readFile(server.adminTokenFile, 'utf8')).trim();
      const headers = { authorization: `Bearer ${token}` };
      const listed = (await (await fetch(`${server.url}/api/v1/apps`, { headers })).json()) as {
        apps: unknown[];
      };
      if (listed.apps.length !== APPS)
        throw new Error(`expected ${APPS} apps, the API lists ${listed.apps.length}`);
      const body = await (await fetch(`${server.url}/api/v1/apps`, { headers })).arrayBuffer();
      const result = await autocannon({
        url: `${server.url}/api/v1/apps`,
        connections: 10,
        duration: SECONDS,
        headers,
      });
      if (result.non2xx > 0) context.log(`${result.non2xx} responses were not 2xx`);
      if (result.errors > 0 || result.timeouts > 0)
        context.log(`${result.errors} connection errors, ${result.timeouts} timeouts`);
      rows.push({
        metric: 'GET /api/v1/apps',
        value: round(result.requests.average),
        unit: 'req/s',
        detail: {
          'latency p50 ms': result.latency.p50,
          'latency p99 ms': result.latency.p99,
          'response KiB': round(body.byteLength / 1024),
          requests: result.requests.total,
        },
      });
      rows.push({ metric: `start + load ${APPS} apps`, value: round(loadMs), unit: 'ms' });
    } finally {
      await stopBenchWheelhouse(running, data);
    }
    return rows;
  },
};
