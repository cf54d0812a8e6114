import { join } from 'node:path';
import { expect } from 'vitest';
import type { ServerDeps } from '../../src/server/index.js';
import type { TestServer } from './api-server.js';
import { startChatOpsStack, type Tmp } from './chatops-stack.js';
import { commitFiles, git } from './git.js';
import { waitFor } from './wait-for.js';

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
    team: payments
    sync: { timeout: 20s, retries: 0 }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
access:
  bindings:
    - { subjects: ["web:alice"], role: deployer }
  defaultRole: viewer
`;

/** A process that runs (version `v`), or one that exits at once (a crash loop: Degraded). */
export function manifest(v: string, crash = false): string {
  const script = crash ? 'process.exit(1)' : 'setInterval(() => {}, 1000)';
  return `apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: web
spec:
  command: ["node", "-e", "${script}"]
  env: { VERSION: "${v}" }
  stopTimeoutSeconds: 2
`;
}

/**
 * A real delivery history for the metrics tests: app `web` (team payments) starts healthy; two
 * commits pushed together are applied by one sync; a commit that crashes makes it Degraded; Alice
 * rolls it back from chat to the second commit and it is Healthy again. Four changes, one failed,
 * four commits with a lead time, one incident restored. The server gets the source (commit log).
 */
export async function deliveryHistory(
  tmp: Tmp,
  servers: (deps: Pick<ServerDeps, 'engine' | 'store'> & Partial<ServerDeps>) => Promise<TestServer>,
  serverDeps: Partial<ServerDeps> = {},
) {
  const stack = await startChatOpsStack(tmp, {
    'wheelhouse.yaml': CONFIG,
    'apps/web/web.yaml': manifest('v1'),
  });
  const server = await servers({
    engine: stack.engine,
    store: stack.store,
    source: stack.source,
    controlRepo: { url: stack.control },
    ...serverDeps,
  });
  const healthIs = (status: string) => async () => stack.engine.status('web').health.status === status;
  await waitFor('web to be Healthy', healthIs('Healthy'));
  const clone = join(await tmp('clone'), 'work');
  await git(await tmp('parent'), 'clone', '--quiet', stack.control, clone);
  await git(clone, 'config', 'user.name', 'Bob');
  await git(clone, 'config', 'user.email', 'bob@example.com');
  const pushAndSync = async () => {
    await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    await stack.engine.refreshRepo(stack.control);
    await stack.engine.settled();
  };
  // Two commits pushed together: one sync delivers both.
  await commitFiles(clone, { 'apps/web/web.yaml': manifest('v2') }, 'v2');
  const good = await commitFiles(clone, { 'apps/web/web.yaml': manifest('v3') }, 'v3');
  await pushAndSync();
  await waitFor('v3 to be Healthy', healthIs('Healthy'));
  // A change that crashes: Degraded, then rolled back from chat.
  await commitFiles(clone, { 'apps/web/web.yaml': manifest('v4', true) }, 'v4 crashes');
  await pushAndSync();
  await waitFor('the crash to show', healthIs('Degraded'));
  const rollback = await stack.say('alice', `rollback web to ${good}`);
  expect(rollback.status).toBe('done');
  await waitFor('web to be Healthy again', healthIs('Healthy'));
  return { stack, server };
}
