import type { GatheredHistory, Period } from '../../access/index.js';
import type { DeliveryTimeline } from '../../wire/index.js';

/** One app's timeline for the Metrics page, from what was gathered for its figures. */
export function deliveryTimeline(app: string, history: GatheredHistory, period: Period): DeliveryTimeline {
  const inside = (at: string) => at >= period.from && at < period.to;
  const commits = new Map((history.commits[app] ?? []).map((c) => [c.sha, c]));
  const syncs = history.syncs
    .filter((s) => s.app === app && !s.dryRun && inside(s.startedAt))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((s) => {
      const commit = s.change ? commits.get(s.change) : undefined;
      return {
        id: s.id,
        startedAt: s.startedAt,
        ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
        result: s.result,
        revision: s.revision,
        actor: s.actor,
        trigger: s.trigger,
        ...(commit
          ? { commit: { sha: commit.sha, subject: commit.subject ?? '', author: commit.author } }
          : {}),
      };
    });
  const transitions = history.health.filter((h) => h.app === app).sort((a, b) => a.at.localeCompare(b.at));
  const before = transitions.filter((h) => h.at < period.from).at(-1);
  const health = [
    ...(before ? [{ at: period.from, status: before.to }] : []),
    ...transitions.filter((h) => inside(h.at)).map((h) => ({ at: h.at, status: h.to })),
  ];
  return {
    app,
    from: period.from,
    to: period.to,
    syncs,
    health,
    rollbacks: history.rollbacks
      .filter((r) => r.app === app && inside(r.at))
      .map((r) => ({ at: r.at, actor: r.actor })),
    actions: history.actions
      .filter((a) => a.app === app && inside(a.at))
      .map((a) => ({
        at: a.at,
        actor: a.actor,
        command: a.action.replace(/^command\./, ''),
        ...(a.text ? { text: a.text } : {}),
      })),
  };
}
