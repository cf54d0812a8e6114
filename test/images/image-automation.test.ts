import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BOT } from '../../src/access/index.js';
import { createImageAutomation } from '../../src/cli/up/image-automation.js';
import { silentLogger } from '../../src/core/index.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { git } from '../support/git.js';

import { registryOnlySkipReason, startTestRegistry, type TestRegistry } from '../support/registry.js';
import { tempDirs } from '../support/tmp.js';

/** Issue 21: a tag pushed to the real registry becomes a commit by the bot in the real control repo. */
describe.skipIf(registryOnlySkipReason !== undefined)('image automation: registry -> Git', () => {
  const tmp = tempDirs();
  let registry: TestRegistry;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let image: string;
  let watching: ReturnType<typeof createImageAutomation> | undefined;

  beforeAll(async () => {
    registry = await startTestRegistry();
    image = `${registry.address}/shop/web`;
    for (const tag of ['1.0.0', '2.0.0']) await registry.push('shop/web', tag);
    stack = await startChatOpsStack(
      tmp,
      {
        'wheelhouse.yaml': `apps:
  - name: web
    path: apps/web
    sync: { auto: false }
    images:
      - image: ${image}
        policy: { semver: "^1.0.0" }
  - name: api
    path: apps/api
    source: { protected: true }
    sync: { auto: false }
    images:
      - image: ${image}
        policy: { semver: "^1.0.0" }
notifications:
  routes:
    - { platform: web, channel: images, apps: [web], events: [image.updated] }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
access:
  bindings:
    - { subjects: ["${IMAGE_BOT}", Alice], role: deployer }
`,
        'apps/web/compose.yaml': `services:\n  web:\n    image: ${image}:1.0.0\n`,
        'apps/api/compose.yaml': `services:\n  api:\n    image: ${image}:1.0.0\n`,
      },
      { images: () => watching?.statuses() ?? [] },
    );
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await registry?.stop();
  });

  const automation = () =>
    (watching = createImageAutomation({
      engine: stack.engine,
      source: stack.source,
      actions: stack.chatops.actions,
      controlRepo: { url: stack.control },
      controlRef: 'main',
      env: {},
      log: silentLogger,
    }));

  it('ignores a tag outside the range, commits one inside it, and a locked app gets a notice and no commit', async () => {
    const watch = automation();
    const head = await git(stack.control, 'rev-parse', 'main');
    const of = (results: { app: string }[], app: string) => results.find((r) => r.app === app);
    expect(of(await watch.checkAll(), 'web')).toMatchObject({
      state: 'up-to-date',
      current: `${image}:1.0.0`,
    });
    expect(await git(stack.control, 'rev-parse', 'main')).toBe(head);

    await registry.push('shop/web', '1.1.0');
    const checked = await watch.checkAll();
    expect(of(checked, 'web')).toMatchObject({ state: 'proposed', candidate: '1.1.0' });
    expect(of(checked, 'api')).toMatchObject({ state: 'proposed', candidate: '1.1.0' });
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an %(trailers:key=Wheelhouse-Image,valueonly)',
        'main',
      ),
    ).toContain(`${IMAGE_BOT} ${image}:1.0.0 -> ${image}:1.1.0`);
    expect(await git(stack.control, 'show', 'main:apps/web/compose.yaml')).toContain(`image: ${image}:1.1.0`);
    // Chat's `images` shows the policy, what runs and what was proposed.
    const shown = await stack.say('alice', 'images web');
    expect(shown.status, shown.text).toBe('info');
    expect(shown.text).toContain(image);
    expect(shown.text).toMatch(/semver \^1\.0\.0|\^1\.0\.0/);
    expect(shown.text).toContain('1.1.0');
    expect(shown.text).toContain('proposed');
    expect((await stack.say('alice', 'images nope')).text).toContain('No image policy for app nope');
    // The protected source gets a branch to merge; its app on main is untouched.
    expect(await git(stack.control, 'show', 'main:apps/api/compose.yaml')).toContain(`image: ${image}:1.0.0`);
    const branches = (
      await git(stack.control, 'branch', '--list', 'wheelhouse/image-update-*', '--format=%(refname:short)')
    )
      .split('\n')
      .filter(Boolean);
    expect(branches).toHaveLength(1);
    const branch = branches[0] ?? '';
    expect(await git(stack.control, 'show', `${branch}:apps/api/compose.yaml`)).toContain(
      `image: ${image}:1.1.0`,
    );
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an %(trailers:key=Wheelhouse-Image,valueonly)',
        branch,
      ),
    ).toContain(`${IMAGE_BOT} ${image}:1.0.0 -> ${image}:1.1.0`);

    await stack.engine.refresh('web');
    await stack.store.acquireLock({
      app: 'web',
      holder: 'web:alice',
      reason: 'freeze',
      createdAt: new Date().toISOString(),
    });
    await registry.push('shop/web', '1.2.0');
    const before = await git(stack.control, 'rev-parse', 'main');
    const held = of(await watch.checkAll(), 'web') as { state?: string; message?: string } | undefined;
    expect(held).toMatchObject({ state: 'held', candidate: '1.2.0' });
    expect(held?.message).toMatch(/not committed: app web is locked by Alice .*freeze/);
    expect(await git(stack.control, 'rev-parse', 'main')).toBe(before);
    // Checking again while the lock holds tells nothing new.
    await watch.checkAll();

    // The app's route heard each change once: the commit (with the way back), then the hold.
    await stack.settle();
    const told = (await stack.store.listChatMessages('images', { limit: 20 })).map((m) => m.text);
    expect(told).toHaveLength(2);
    const committed = told.find((t) => t.includes('committed to Git')) ?? '';
    const holding = told.find((t) => t.includes(' held: ')) ?? '';
    told.reverse().length === 2 && told[0]?.includes('committed') ? told : [...told].reverse();
    expect(committed).toContain('newer image for web (default) committed to Git');
    expect(committed).toContain(`${image}:1.0.0`);
    expect(committed).toContain(`${image}:1.1.0`);
    expect(committed).toContain('rollback web');
    expect(holding).toContain('newer image for web (default) held: not committed');
    expect(holding).toMatch(/locked by Alice .*freeze/);
    expect(holding).toContain(`${image}:1.2.0`);
  });
});
