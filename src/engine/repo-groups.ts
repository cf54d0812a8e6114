import { type AppSpec, errorMessage, type RepoRef } from '../core/index.js';
import { normalizeRepoUrl } from '../source/git/index.js';
import type { EngineState, RepoGroup } from './engine-state.js';
import { tickGroup } from './poll.js';
import type { AppRuntime } from './runtime.js';
import { createTicker } from './scheduler.js';

// Repo groups: the apps of one repository share a ticker (the shortest interval among them) and
// one fetch per tick.

export function groupFor(st: EngineState, repo: RepoRef, isControl: boolean): RepoGroup {
  const key = normalizeRepoUrl(repo.url);
  let group = st.groups.get(key);
  if (!group) {
    const created: RepoGroup = {
      key,
      repo,
      control: isControl || key === st.controlKey,
      apps: new Set(),
      revisions: new Map(),
      ticker: createTicker({
        intervalMs: st.options.controlIntervalMs ?? 30_000,
        random: st.options.random ?? Math.random,
        tick: () => tickGroup(st, created),
        onError: (err) => st.deps.log.error({ repo: key, err: errorMessage(err) }, 'poll failed'),
      }),
    };
    group = created;
    st.groups.set(key, group);
    if (st.started) void group.ticker.trigger();
  }
  return group;
}

export function retune(st: EngineState, group: RepoGroup): void {
  const intervals = [...group.apps].map((rt) => rt.spec.intervalMs);
  if (group.control) intervals.push(st.options.controlIntervalMs ?? 30_000);
  if (intervals.length === 0) {
    group.ticker.stop();
    st.groups.delete(group.key);
    return;
  }
  group.ticker.setInterval(Math.min(...intervals));
}

export function leaveGroup(st: EngineState, rt: AppRuntime): void {
  delete rt.sourceError; // it was about the group's repository
  for (const group of st.groups.values()) {
    if (!group.apps.delete(rt)) continue;
    retune(st, group);
    return;
  }
}

export function repoOf(st: EngineState, spec: AppSpec): RepoRef {
  if (spec.sourceIsControlRepo) return st.control;
  return { url: spec.source.repo, ...(spec.source.auth ? { auth: spec.source.auth } : {}) };
}

/** Shows a failed fetch on every app of the repo (and clears it after a good one). */
export function noteFetch(st: EngineState, group: RepoGroup, message: string | undefined): void {
  const at = st.now().toISOString();
  for (const rt of group.apps) {
    const had = rt.sourceError !== undefined;
    if (message === undefined) delete rt.sourceError;
    else rt.sourceError = { message, since: rt.sourceError?.since ?? at, at };
    if (had === (message !== undefined)) continue;
    st.ctx.events.publish({
      type: 'app.updated',
      app: rt.spec.name,
      syncStatus: rt.syncStatus,
      health: rt.health,
    });
  }
}
