import { errorMessage } from '../core/index.js';
import { enqueue } from './app-runtimes.js';
import type { EngineState } from './engine-state.js';
import { mirrorOtherReplicas } from './mirror.js';
import { membershipOf } from './ownership.js';
import { reloadControl, unreadableControl } from './poll.js';
import { groupFor } from './repo-groups.js';

/** Start: wheelhouse.yaml first, then resume what a crash left running, then poll every repo. */
export async function startEngine(st: EngineState): Promise<void> {
  if (st.started) return;
  // Config first, then resume what a crash left running, before any new operation starts.
  const controlGroup = groupFor(st, st.control, true);
  st.ctx.yaml.warm(); // loads while the control repo is fetched
  try {
    await st.deps.source.fetch(st.control);
  } catch (err) {
    st.deps.log.warn({ repo: st.controlKey }, errorMessage(err));
  }
  await reloadControl(st).catch((err) => unreadableControl(st, err));
  // With replicas, a sync left running is taken up by whoever takes the app's lease (ownership.ts).
  for (const record of st.ctx.cluster ? [] : await st.deps.store.listRunningSyncs()) {
    const rt = st.runtimes.get(record.app);
    if (rt) enqueue(st, rt, { trigger: record.trigger, actor: record.actor, resumeId: record.id });
  }
  st.started = true;
  if (st.ctx.cluster) {
    st.ctx.cluster.relay(st.ctx.events);
    st.unwatch.push(mirrorOtherReplicas(st));
  }
  await st.ctx.cluster?.start(membershipOf(st));
  await controlGroup.ticker.trigger();
  for (const group of st.groups.values()) if (group !== controlGroup) void group.ticker.trigger();
}

/** Stop polling, let running operations finish within the grace period, then stop the drivers. */
export async function stopEngine(st: EngineState): Promise<void> {
  if (st.stopped) return;
  st.stopped = true;
  for (const group of st.groups.values()) group.ticker.stop();
  const idle = Promise.all([...st.runtimes.values()].map((rt) => rt.queue.idle()));
  const grace = new Promise((resolve) => setTimeout(resolve, st.options.stopGraceMs ?? 15_000).unref());
  await Promise.race([idle, grace]);
  st.shutdown.abort();
  await idle;
  await st.ctx.cluster?.stop();
  for (const off of st.unwatch) off();
  for (const entry of st.drivers.values()) entry.unwatch?.();
  await Promise.all([...st.drivers.values()].map((d) => d.driver.stop()));
  await st.ctx.yaml.close();
}
