import type { ReplicasResponse } from './api-types.js';
import type { ClientContext } from './context.js';
import { ago, table } from './output.js';

/** `wheelhouse status --replicas`: the replicas sharing the store, and how many apps each holds. */
export async function printReplicas(ctx: ClientContext): Promise<void> {
  const body = await ctx.api.get<ReplicasResponse>('/api/v1/replicas');
  if (ctx.json) return ctx.out.json(body);
  if (body.replicas.length === 0) {
    ctx.out.line(
      `the server at ${ctx.api.url} runs alone (its store is not PostgreSQL): it reconciles every app itself. To run several replicas, start each with \`wheelhouse up --store postgres://…\` (docs/high-availability.md)`,
    );
    return;
  }
  const c = ctx.out.color;
  const rows = body.replicas.map((r) => [
    r.id === body.self ? c.bold(`${r.id} (this one)`) : r.id,
    r.address || c.dim('(no API)'),
    r.version,
    r.live ? c.green('live') : c.red('silent'),
    ago(r.heartbeatAt),
    String(r.apps),
    ago(r.startedAt),
  ]);
  ctx.out.line(table(['REPLICA', 'ADDRESS', 'VERSION', 'STATE', 'HEARTBEAT', 'APPS', 'STARTED'], rows, c));
  const live = body.replicas.filter((r) => r.live).length;
  ctx.out.line(
    `\n${live} of ${body.replicas.length} replica${body.replicas.length === 1 ? '' : 's'} live; ${body.leases.length} app lease${body.leases.length === 1 ? '' : 's'} held; lease time ${body.leaseMs / 1000} s`,
  );
}
