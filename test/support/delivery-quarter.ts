import { join } from 'node:path';
import type { ServerDeps } from '../../src/server/index.js';
import type { TestServer } from './api-server.js';
import { startChatOpsStack, type Tmp } from './chatops-stack.js';
import { manifest } from './delivery-history.js';
import { git, writeTree } from './git.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
export const QUARTER_APPS = ['web', 'api', 'worker'] as const;
/** Weeks of history; the Metrics page's 90-day period holds them all. */
export const QUARTER_WEEKS = 12;

const CONFIG = `apps:
  - { name: web, path: apps/web, environment: prod, team: payments, sync: { timeout: 20s, retries: 0 } }
  - { name: api, path: apps/api, environment: prod, team: payments, sync: { timeout: 20s, retries: 0 } }
  - { name: worker, path: apps/worker, environment: staging, team: data, sync: { timeout: 20s, retries: 0 } }
`;

/**
 * Twelve weeks of delivery for three apps, as a team would have made them: real commits in the
 * control repo with the author times they were written at (two to four a week per app, each
 * changing the app's Process), and the sync history and health changes the store would hold for
 * them (each commit applied a few hours later; about one change in eight crashed and was fixed
 * by the next). Then the apps are synced for real at the newest commit. Syncs and health changes
 * in the past are written to the store directly: the engine cannot be made to run last month.
 */
export async function deliveryQuarter(
  tmp: Tmp,
  servers: (deps: Pick<ServerDeps, 'engine' | 'store'> & Partial<ServerDeps>) => Promise<TestServer>,
  now = Date.now(),
) {
  const files: Record<string, string> = { 'wheelhouse.yaml': CONFIG };
  for (const app of QUARTER_APPS) files[`apps/${app}/${app}.yaml`] = manifest('v0');
  const stack = await startChatOpsStack(tmp, files);
  const server = await servers({
    engine: stack.engine,
    store: stack.store,
    source: stack.source,
    controlRepo: { url: stack.control },
    dashboard: {},
  });
  const clone = join(await tmp('clone'), 'work');
  await git(await tmp('parent'), 'clone', '--quiet', stack.control, clone);
  const start = now - QUARTER_WEEKS * 7 * DAY;
  const people = ['Alice', 'Bob', 'Chen', 'Dana'];
  let made = 0;
  for (let day = 0; day < QUARTER_WEEKS * 7; day++) {
    for (const [i, app] of QUARTER_APPS.entries()) {
      // Weekdays only; each app on its own rhythm, busier in the later weeks.
      const weekday = new Date(start + day * DAY).getUTCDay();
      if (weekday === 0 || weekday === 6 || (day * (i + 3) + i) % (day > 40 ? 2 : 3) !== 0) continue;
      made++;
      const authored = start + day * DAY + (9 + ((day + i) % 6)) * HOUR;
      const person = people[(day + i) % people.length] ?? 'Alice';
      const crashes = made % 8 === 0;
      await writeTree(clone, { [`apps/${app}/${app}.yaml`]: manifest(`v${made}`, crashes) });
      await git(clone, 'add', '--all');
      await git(
        clone,
        'commit',
        '--quiet',
        '-m',
        `${app}: ${crashes ? 'new cache (crashes)' : `change ${made}`}`,
        `--author=${person} <${person.toLowerCase()}@example.com>`,
        `--date=${new Date(authored).toISOString()}`,
      );
      const revision = await git(clone, 'rev-parse', 'HEAD');
      const digest = await git(clone, 'rev-parse', `HEAD:apps/${app}`);
      const applied = authored + (1 + ((made * 7) % 20)) * (HOUR / 4);
      const failed = made % 13 === 0;
      await stack.store.insertSync({
        id: `quarter-${made}`,
        app,
        revision,
        digest,
        actor: 'git',
        trigger: 'auto',
        dryRun: false,
        startedAt: new Date(applied).toISOString(),
        finishedAt: new Date(applied + 40_000).toISOString(),
        result: failed ? 'failed' : 'succeeded',
        changeSet: [],
        messages: failed ? ['the Process web did not start in 20s'] : [],
      });
      if (crashes && !failed) {
        const down = applied + 60_000;
        const up = down + (1 + (made % 5)) * HOUR;
        await stack.store.recordHealthTransition({
          app,
          at: new Date(down).toISOString(),
          from: 'Healthy',
          to: 'Degraded',
        });
        await stack.store.recordHealthTransition({
          app,
          at: new Date(up).toISOString(),
          from: 'Degraded',
          to: 'Healthy',
        });
      }
    }
  }
  // The newest commit of each app runs, applied for real now.
  for (const app of QUARTER_APPS) {
    await writeTree(clone, { [`apps/${app}/${app}.yaml`]: manifest(`v${made + 1}`) });
  }
  await git(clone, 'add', '--all');
  await git(clone, 'commit', '--quiet', '-m', 'all: this week');
  await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  await stack.engine.refreshRepo(stack.control);
  await stack.engine.settled();
  return { stack, server, commits: made };
}
