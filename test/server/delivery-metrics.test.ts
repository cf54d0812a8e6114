import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResponse } from '../../src/wire/index.js';
import { apiServers, type TestServer } from '../support/api-server.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { deliveryHistory } from '../support/delivery-history.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

describe('delivery metrics end to end: real commits, syncs, a crash and a rollback', () => {
  const tmp = tempDirs();
  const servers = apiServers();
  let stack: Awaited<ReturnType<typeof deliveryHistory>>['stack'];
  let server: TestServer;

  beforeAll(async () => {
    await ensureBuilt();
    ({ stack, server } = await deliveryHistory(tmp, servers));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('GET /api/v1/metrics gives the four figures from that history', async () => {
    const response = await server.api('/api/v1/metrics?app=web');
    expect(response.status).toBe(200);
    const body = (await response.json()) as MetricsResponse;
    const f = body.total.figures;
    const syncs = (await stack.store.listSyncs('web', { limit: 100 })).filter((s) => !s.dryRun);
    // initial, b+c together, the crash, the rollback commit (c's tree again): four changes.
    expect(f.changeFailure).toEqual({ changes: 4, failed: 1, rate: 0.25 });
    // b and c (one sync), d (its own sync or the rollback's) and the rollback commit.
    expect(f.leadTime.count).toBe(4);
    expect(f.restore.count).toBe(1);
    expect(f.restore.open).toBe(0);
    expect(f.deployments).toBe(syncs.some((s) => s.result === 'failed') ? 3 : 4);
    expect(body.byTeam.map((g) => g.key)).toEqual(['payments']);
    expect(body.byEnvironment.map((g) => g.key)).toEqual(['dev']);
    expect(body.bucket).toBe('day');
    expect(body.total.buckets.at(-1)?.changes).toBe(4);
    expect(body.definitions.leadTime).toContain('author time');
  });

  it('records the health changes it is computed from', async () => {
    const health = await stack.store.listHealthTransitions({ app: 'web' });
    expect(health.map((h) => h.to)).toContain('Degraded');
    expect(health.at(-1)?.to).toBe('Healthy');
  });

  it('refuses a period that ends before it starts, saying how to fix it', async () => {
    const response = await server.api('/api/v1/metrics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('must be before to');
  });

  it('exports lead time and time to restore as Prometheus histograms', async () => {
    await waitFor('the histograms', async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return (
        text.includes('wheelhouse_lead_time_seconds_count{app="web",environment="dev"} 4') &&
        text.includes('wheelhouse_time_to_restore_seconds_count{app="web",environment="dev"} 1')
      );
    });
  });

  it('chat `metrics web` answers with the figures and where the charts are', async () => {
    const { text } = await stack.say('alice', 'metrics web');
    expect(text).toContain('Delivery of web');
    expect(text).toContain('Change failure rate: 25% (1 of 4 changes)');
    expect(text).toContain('Lead time for changes: median');
    expect(text).toContain('(4 commits)');
    expect(text).toContain('Time to restore: median');
    expect(text).toContain('/delivery?app=web');
  });

  it('`wheelhouse metrics web` prints the figures as a table, and as JSON with --json', async () => {
    const env = cliEnv({ WHEELHOUSE_URL: server.url, WHEELHOUSE_TOKEN: server.token });
    const table = await runCli(['metrics', 'web'], env);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Change failure rate +25% \(1 of 4 changes\)$/m);
    expect(table.stdout).toMatch(/^Lead time for changes +median .+ \(4 commits\)$/m);
    expect(table.stdout).toContain('Definitions: docs/metrics.md');
    const json = await runCli(['metrics', 'web', '--json'], env);
    const body = JSON.parse(json.stdout) as MetricsResponse;
    expect(body.total.figures.changeFailure.failed).toBe(1);
    expect(body.byApp.map((g) => g.key)).toEqual(['web']);
  });
});
