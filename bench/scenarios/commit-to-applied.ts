import type { WheelhouseEvent } from '../../src/core/index.js';
import { freePort } from '../../test/support/ports.js';
import { benchEngine } from '../lib/engine.js';
import type { Scenario } from '../lib/scenario.js';
import { percentile, round } from '../lib/stats.js';
import { benchRepo } from '../lib/wheelhouse.js';

const COMMITS = 20;

const SERVER = `import { createServer } from 'node:http';
createServer((req, res) => res.end(process.env.VERSION)).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const manifest = (port: number, version: number) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "server.mjs"]
  cwd: services/web
  env: { PORT: "${port}", VERSION: "${version}" }
  health:
    http: { url: "http://127.0.0.1:${port}/" }
    periodSeconds: 1
  stopTimeoutSeconds: 2
`;

/**
 * (a) commit -> applied for a one-Process app: a commit, then a refresh at once (what a webhook
 * does), until the new process is healthy. Split from the engine's own events.
 */
export const commitToApplied: Scenario = {
  name: 'commit-to-applied',
  description: `commit -> applied for a one-Process app, ${COMMITS} commits, refresh right after each commit`,
  async run(context) {
    const repo = await context.tmp('repo');
    const data = await context.tmp('data');
    const port = await freePort();
    const commit = await benchRepo(repo, {
      'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n',
      'services/web/server.mjs': SERVER,
      'apps/web/web.yaml': manifest(port, 0),
    });

    const bench = await benchEngine(repo, data);
    const samples: Record<'total' | 'fetch' | 'render' | 'diff' | 'apply' | 'health', number[]> = {
      total: [],
      fetch: [],
      render: [],
      diff: [],
      apply: [],
      health: [],
    };
    try {
      await bench.engine.start();
      await bench.engine.settled();
      for (let version = 1; version <= COMMITS; version++) {
        await commit({ 'apps/web/web.yaml': manifest(port, version) }, `v${version}`);
        const marks: Partial<Record<string, number>> = {};
        const off = bench.engine.events.subscribe((event: WheelhouseEvent) => {
          if (event.type === 'sync.started') marks.started ??= performance.now();
          if (event.type === 'sync.progress' && event.step === 'apply') marks.apply ??= performance.now();
          if (event.type === 'sync.progress' && event.step === 'health') marks.health ??= performance.now();
          if (event.type === 'sync.finished') marks.finished ??= performance.now();
        });
        const t0 = performance.now();
        await bench.engine.refresh('web');
        await bench.engine.settled();
        off();
        const answer = await fetch(`http://127.0.0.1:${port}/`).then(
          (r) => r.text(),
          (err: unknown) => {
            const status = bench.engine.apps().find((a) => a.name === 'web');
            throw new Error(
              `version ${version} is not served (${String(err)}); web is ${JSON.stringify(status)}`,
            );
          },
        );
        if (answer !== String(version))
          throw new Error(`expected version ${version} to be served, got ${answer}`);
        const { started = t0, apply = started, health = apply, finished = health } = marks;
        samples.total.push(finished - t0);
        samples.fetch.push(bench.fetchClock.lastMs);
        samples.render.push(started - t0 - bench.fetchClock.lastMs);
        samples.diff.push(apply - started);
        samples.apply.push(health - apply);
        samples.health.push(finished - health);
      }
    } finally {
      await bench.close();
    }
    const row = (metric: keyof typeof samples) => ({
      p50: round(percentile(samples[metric], 50)),
      p95: round(percentile(samples[metric], 95)),
    });
    return [
      {
        metric: 'commit -> applied p50',
        value: row('total').p50,
        unit: 'ms',
        target: '< 150 ms',
        detail: Object.fromEntries(
          (['fetch', 'render', 'diff', 'apply', 'health'] as const).map((m) => [
            `${m} p50/p95`,
            `${row(m).p50} / ${row(m).p95} ms`,
          ]),
        ),
      },
      { metric: 'commit -> applied p95', value: row('total').p95, unit: 'ms' },
    ];
  },
};
