import { describe, expect, it } from 'vitest';
import { nodeFactsLine, nodeMessage } from '../../src/util/index.js';

describe('nodeFactsLine / nodeMessage: the facts of a tree row', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  it('counts uptime from startedAt while there is a pid, in two units at most', () => {
    const node = { pid: 7, startedAt: '2026-12-02T07:30:00Z', restarts: 1, probe: 'ok: connected' };
    expect(nodeFactsLine(node, now)).toBe('pid 7 · up 2d4h · 1 restart · probe: ok: connected');
    expect(nodeFactsLine({ pid: 7, startedAt: '2026-12-04T11:58:05Z' }, now)).toBe('pid 7 · up 1m55s');
  });
  it('shows no uptime for a stopped replica, and says why it is not healthy first', () => {
    const node = {
      startedAt: '2026-12-04T11:00:00Z',
      restarts: 2,
      lastExit: 'was killed by SIGKILL',
      health: { status: 'Degraded', message: 'crash loop' },
    };
    expect(nodeMessage(node, now)).toBe('crash loop — 2 restarts · last exit: was killed by SIGKILL');
    expect(nodeMessage({ health: { status: 'Healthy', message: 'GET / → 200' } }, now)).toBe('');
  });
});
