import { describe, expect, it } from 'vitest';
import type { ClientContext } from '../../src/cli/client/context.js';
import { palette } from '../../src/cli/client/output.js';
import { printAppDetail } from '../../src/cli/client/status.js';
import type { AppStatus } from '../../src/core/index.js';

/** A text (not --json) client context without colour, collecting the printed lines. */
function plainOutput(): { lines: string[]; ctx: ClientContext } {
  const lines: string[] = [];
  const ctx = {
    out: {
      color: palette(false),
      tty: false,
      line: (t = '') => lines.push(t),
      error: () => {},
      json: () => {},
    },
    json: false,
  } as unknown as ClientContext;
  return { lines, ctx };
}

describe('wheelhouse status <app>: what a resource owns', () => {
  it('indents a Deployment’s ReplicaSet and Pods under it', () => {
    const { lines, ctx } = plainOutput();
    const healthy = { status: 'Healthy' as const };
    const app: AppStatus = {
      name: 'shop',
      environment: 'prod',
      target: 'prod',
      source: { repo: '/r', ref: 'main', path: 'apps/shop' },
      syncStatus: 'Synced',
      health: healthy,
      autoSync: true,
      selfHeal: true,
      resources: [
        {
          key: 'prod/Deployment.apps/shop/web',
          kind: 'Deployment',
          name: 'web',
          syncStatus: 'Synced',
          health: healthy,
          children: [
            {
              kind: 'ReplicaSet',
              name: 'web-7c5d',
              health: healthy,
              children: [
                {
                  kind: 'Pod',
                  name: 'web-7c5d-x1',
                  health: { status: 'Progressing', message: 'pulling' },
                  children: [],
                },
              ],
            },
          ],
        },
      ],
    };
    printAppDetail(ctx, app);
    expect(lines.join('\n').split('\n').slice(-4)).toEqual([
      'KIND          NAME         SYNC    HEALTH         MESSAGE',
      'Deployment    web          Synced  ✓ Healthy',
      '└ ReplicaSet  web-7c5d             ✓ Healthy',
      '  └ Pod       web-7c5d-x1          … Progressing  pulling',
    ]);
  });
  it('shows a Process with one row per replica: pid, uptime, restarts, last exit, probe', () => {
    const { lines, ctx } = plainOutput();
    const startedAt = new Date(Date.now() - 75_000).toISOString();
    const app: AppStatus = {
      name: 'shop',
      environment: 'prod',
      target: 'local',
      source: { repo: '/r', ref: 'main', path: 'apps/shop' },
      syncStatus: 'Synced',
      health: { status: 'Progressing' },
      autoSync: true,
      selfHeal: true,
      resources: [
        {
          key: 'local/Process/shop/web',
          kind: 'Process',
          name: 'web',
          syncStatus: 'Synced',
          health: { status: 'Progressing' },
          children: [
            {
              kind: 'Replica',
              name: 'replica-0',
              health: { status: 'Healthy', message: 'GET / → 200' },
              pid: 4242,
              startedAt,
              restarts: 0,
              probe: 'ok: GET / → 200',
              children: [],
            },
            {
              kind: 'Replica',
              name: 'replica-1',
              health: { status: 'Progressing', message: 'exited with code 1; restarting in 2s' },
              startedAt,
              restarts: 3,
              lastExit: 'exited with code 1',
              children: [],
            },
          ],
        },
      ],
    };
    printAppDetail(ctx, app);
    const rows = lines.join('\n').split('\n').slice(-2);
    expect(rows[0]).toMatch(
      /^└ Replica +replica-0 +✓ Healthy +pid 4242 · up 1m1[56]s · 0 restarts · probe: ok: GET \/ → 200$/,
    );
    expect(rows[1]).toMatch(
      /^└ Replica +replica-1 +… Progressing +exited with code 1; restarting in 2s — 3 restarts · last exit: exited with code 1$/,
    );
  });
});
