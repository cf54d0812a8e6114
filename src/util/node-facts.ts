/** The runtime facts a resource tree node may carry (a replica, a container, a job run). */
export interface NodeFacts {
  pid?: number;
  startedAt?: string;
  restarts?: number;
  lastExit?: string;
  probe?: string;
}

/**
 * One line of a tree node's facts, for the CLI, chat and the dashboard alike:
 * `pid 4242 · up 3m12s · 2 restarts · last exit: exited with code 1 · probe: HTTP 200`.
 * Uptime is counted from `startedAt` to `now` and shown only while there is a pid (running).
 */
export function nodeFactsLine(node: NodeFacts, now: number): string {
  const parts: string[] = [];
  if (node.pid !== undefined) {
    parts.push(`pid ${node.pid}`);
    const started = node.startedAt ? Date.parse(node.startedAt) : Number.NaN;
    if (Number.isFinite(started)) parts.push(`up ${uptime(now - started)}`);
  }
  if (node.restarts !== undefined) parts.push(`${node.restarts} restart${node.restarts === 1 ? '' : 's'}`);
  if (node.lastExit) parts.push(`last exit: ${node.lastExit}`);
  if (node.probe) parts.push(`probe: ${node.probe}`);
  return parts.join(' · ');
}

/**
 * The message of a tree row: the facts, then what the health says when it is not Healthy
 * (a Healthy replica's message repeats its probe).
 */
export function nodeMessage(
  node: NodeFacts & { health: { status: string; message?: string } },
  now: number,
): string {
  const facts = nodeFactsLine(node, now);
  const why = node.health.status === 'Healthy' ? '' : (node.health.message ?? '');
  return [why, facts].filter((part) => part !== '').join(' — ');
}

/** `42s`, `3m12s`, `5h3m`, `2d4h`: two units at most, never negative. */
function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}
