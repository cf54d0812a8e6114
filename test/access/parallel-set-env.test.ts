import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const PEOPLE = Array.from({ length: 20 }, (_, n) => `user${n}`);

const CONFIG = `apps:
  - { name: web, path: apps/web, environment: dev, sync: { auto: false } }
people:
${PEOPLE.map((p) => `  - { name: ${p}, email: ${p}@example.com, ids: ["web:${p}"] }`).join('\n')}
access:
  bindings:
    - { subjects: [${PEOPLE.join(', ')}], role: deployer }
`;

const WEB = `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "-e", "setInterval(() => {}, 1000)"]
  env:
    PORT: "8080"  # kept
`;

/**
 * Issue 12, item 12. Repro: 20 parallel `set env` with different keys; 19 failed with "someone
 * changed the same lines meanwhile" (that someone was Wheelhouse). Through the actions service,
 * as chat and the API call it.
 */
describe('20 parallel set env through the actions service', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  beforeAll(async () => {
    stack = await startChatOpsStack(tmp, { 'wheelhouse.yaml': CONFIG, 'apps/web/web.yaml': WEB });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('all succeed, each its own commit by its own actor', async () => {
    const results = await Promise.all(
      PEOPLE.map((person, n) =>
        stack.chatops.actions.perform({
          actor: `web:${person}`,
          command: 'set',
          args: { app: 'web', process: 'web', env: { [`KEY_${n}`]: `value-${n}` } },
          text: `set env web web KEY_${n}=value-${n}`,
          platform: 'web',
          requestId: `req-${n}`,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(PEOPLE.map(() => 'done'));
    const log = await git(
      stack.control,
      'log',
      '-20',
      '--format=%an|%(trailers:key=Wheelhouse-Actor,valueonly,separator=%x2C)|%(trailers:key=Wheelhouse-Request,valueonly,separator=%x2C)',
      'main',
    );
    const commits = log
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/\s+/g, ''));
    expect(new Set(commits)).toEqual(new Set(PEOPLE.map((p, n) => `${p}|web:${p}|req-${n}`)));
    const manifest = await git(stack.control, 'show', 'main:apps/web/web.yaml');
    for (let n = 0; n < 20; n += 1) expect(manifest).toContain(`KEY_${n}: value-${n}`);
    expect(manifest).toContain('PORT: "8080"  # kept');
  });
});
