import { describe, expect, it } from 'vitest';
import type { ClientContext } from '../../src/cli/client/context.js';
import { palette } from '../../src/cli/client/output.js';
import { printAppDetail } from '../../src/cli/client/status.js';
import type { AppStatus } from '../../src/core/index.js';

describe('wheelhouse status <app>: what a resource owns', () => {
  it('indents a Deployment’s ReplicaSet and Pods under it', () => {
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
});
