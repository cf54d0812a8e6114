import { createHmac, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { WheelhouseEvent } from '../../src/core/index.js';
import { freePort } from '../../test/support/ports.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { percentile, round } from '../lib/stats.js';
import { benchRepo, startBenchWheelhouse, stopBenchWheelhouse } from '../lib/wheelhouse.js';

const PUSHES = 20;
const SECRET_ENV = 'WHEELHOUSE_BENCH_GH_SECRET';

const program = `const http = require('node:http');
http.createServer((req, res) => res.end(process.env.VERSION)).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const manifest = (port: number, version: number) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "web/server.js"]
  env: { PORT: "${port}", VERSION: "${version}" }
  health:
    http: { url: "http://127.0.0.1:${port}/" }
`;

/**
 * A signed GitHub push webhook until the new revision runs healthy, for a one-Process app: the
 * webhook answers, the engine fetches, renders, restarts the process and sees it healthy.
 */
export const webhookPush: Scenario = {
  name: 'webhook-push',
  description: `signed GitHub push → new revision applied and healthy, one Process app, ${PUSHES} commits`,
  async run(context) {
    const repo = await context.tmp('control');
    const data = await context.tmp('data');
    const port = await freePort();
    const secret = randomUUID();
    process.env[SECRET_ENV] = secret;
    const commit = await benchRepo(repo, {
      'wheelhouse.yaml': `apps:\n  - name: web\n    path: apps/web\n    interval: 1h\nwebhooks:\n  github: { secretEnv: ${SECRET_ENV} }\n`,
      'web/server.js': program,
      'apps/web/web.yaml': manifest(port, 0),
    });
    const running = await startBenchWheelhouse(repo, data);
    const server = running.server;
    if (!server) throw new Error('the HTTP server did not start');
    const total: number[] = [];
    const answered: number[] = [];
    const applying: number[] = [];
    try {
      await running.engine.settled();
      for (let i = 1; i <= PUSHES; i++) {
        const sha = await commit({ 'apps/web/web.yaml': manifest(port, i) }, `version ${i}`);
        const done = new Promise<Extract<WheelhouseEvent, { type: 'sync.finished' }>>((resolve) => {
          const off = running.engine.events.subscribe((event) => {
            if (event.type === 'sync.finished' && event.app === 'web' && event.revision === sha) {
              off();
              resolve(event);
            }
          });
        });
        const body = JSON.stringify({
          ref: 'refs/heads/main',
          after: sha,
          repository: { clone_url: pathToFileURL(repo).href, full_name: 'bench/control' },
        });
        const started = performance.now();
        const response = await fetch(`${server.url}/hooks/github`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
          },
          body,
        });
        answered.push(performance.now() - started);
        if (response.status !== 202)
          throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
        const finished = await done;
        total.push(performance.now() - started);
        if (finished.result !== 'succeeded') throw new Error(`sync of version ${i} ${finished.result}`);
        const { startedAt, finishedAt } = finished.record;
        if (finishedAt) applying.push(Date.parse(finishedAt) - Date.parse(startedAt));
        const served = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        if (served !== String(i)) context.log(`after push ${i} the process served ${served}`);
      }
    } finally {
      await stopBenchWheelhouse(running, data);
      delete process.env[SECRET_ENV];
    }
    const row = (metric: string, samples: number[], target?: string): BenchRow => ({
      metric,
      value: round(percentile(samples, 50)),
      unit: 'ms',
      ...(target ? { target } : {}),
      detail: { p95: round(percentile(samples, 95)), max: round(Math.max(...samples)), n: samples.length },
    });
    return [
      row('push → applied and healthy, p50', total, 'p50 < 1 s + app start'),
      row('webhook answered, p50', answered),
      row('sync itself (restart + health), p50', applying),
    ];
  },
};
