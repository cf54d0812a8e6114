import { type ClusterMembership, errorMessage, type SyncTrigger } from '../core/index.js';
import { enqueue } from './app-runtimes.js';
import type { EngineState } from './engine-state.js';
import { lastSyncShown } from './last-sync.js';
import { groupFor } from './repo-groups.js';
import type { AppRuntime } from './runtime.js';

// Which apps this replica reconciles, when several share one database (docs/high-availability.md).

/** The engine's side of the cluster: its apps, which are busy, and what happens on a handover. */
export function membershipOf(st: EngineState): ClusterMembership {
  return {
    apps: () =>
      [...st.runtimes.values()].map((rt) => {
        const host = pinnedHost(st, rt);
        return host ? { name: rt.spec.name, host } : { name: rt.spec.name };
      }),
    busy: (app) => st.runtimes.get(app)?.queue.busy ?? false,
    forwarded(app, request) {
      const rt = st.runtimes.get(app);
      if (!rt || st.stopped) return;
      if (request.kind === 'refresh') {
        rt.fullCheck = true;
        if (!rt.spec.problem) void groupFor(st, rt.repo, rt.spec.sourceIsControlRepo).ticker.trigger();
        return;
      }
      rt.log.info({ sync: request.id }, `sync ${request.id} of app ${app} forwarded by another replica`);
      // Queued under the id the forwarding replica answered with (a new record, not a resume).
      enqueue(st, rt, {
        trigger: 'manual',
        actor: request.actor,
        resumeId: request.id,
        ...(request.revision ? { revision: request.revision } : {}),
        ...(request.requestId ? { requestId: request.requestId } : {}),
      });
    },
    changed(app, owned, token) {
      const rt = st.runtimes.get(app);
      if (!rt || !owned || st.stopped) return;
      void takeOver(st, rt, token).catch((err) =>
        rt.log.error({ err: errorMessage(err) }, `could not take over app ${app}: ${errorMessage(err)}`),
      );
    },
  };
}

/** A `process` target runs on one host: its `host:` names the replica that applies it. */
function pinnedHost(st: EngineState, rt: AppRuntime): string | undefined {
  const target = st.config?.targets[rt.spec.target];
  const host = target?.driver === 'process' ? target.options.host : undefined;
  return typeof host === 'string' && host !== '' ? host : undefined;
}

/**
 * This replica took the app's lease: read what the previous owner left (state, history), close
 * the sync it left running as abandoned and run it again, else check the app as a poll would.
 */
async function takeOver(st: EngineState, rt: AppRuntime, token: number): Promise<void> {
  const app = rt.spec.name;
  const replica = st.ctx.cluster?.replicaId ?? '';
  let rerun: { trigger: SyncTrigger; actor: string } | undefined;
  await rt.queue.check(async () => {
    rt.state = (await st.deps.store.getAppState(app)) ?? { app, inventory: [] };
    const last = await lastSyncShown(st.deps.store, app);
    if (last) rt.lastSync = last;
    for (const orphan of await st.deps.store.listRunningSyncs()) {
      if (orphan.app !== app) continue;
      orphan.result = 'cancelled';
      orphan.finishedAt = st.now().toISOString();
      orphan.messages.push(
        `abandoned: the replica running it lost the lease of app ${app}; replica ${replica} took it over (fencing token ${token}) and syncs again`,
      );
      await st.deps.store.updateSync(orphan);
      if (!orphan.dryRun) rerun = { trigger: orphan.trigger, actor: orphan.actor };
    }
  });
  if (rerun) enqueue(st, rt, rerun);
  else if (!rt.spec.problem) void groupFor(st, rt.repo, rt.spec.sourceIsControlRepo).ticker.trigger();
}
