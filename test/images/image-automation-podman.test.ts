import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BOT } from '../../src/access/index.js';
import { createImageAutomation } from '../../src/cli/up/image-automation.js';
import { silentLogger } from '../../src/core/index.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { git } from '../support/git.js';
import { pushToRegistry, registrySkipReason, usePodman } from '../support/podman.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 21, the whole loop on a real engine: a new tag pushed to the registry becomes a commit by
 * the image-automation bot in the control repo, and that commit is applied on Podman (the
 * container runs the new image), through auto-sync as a person's commit would be.
 */
describe.skipIf(registrySkipReason !== undefined)(
  'image automation on Podman: registry -> Git -> container',
  () => {
    const tmp = tempDirs();
    const podman = usePodman({ registry: true });
    let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
    let image: string;

    beforeAll(async () => {
      image = `${podman().registry}/shop/web`;
      await pushToRegistry(podman(), podman().image, `${image}:1.0.0`);
      stack = await startChatOpsStack(tmp, {
        'wheelhouse.yaml': `targets:
  box: { driver: docker, host: "${podman().host}" }
apps:
  - name: web
    path: apps/web
    target: box
    images:
      - image: ${image}
        policy: { semver: "^1.0.0" }
access:
  bindings:
    - { subjects: ["${IMAGE_BOT}"], role: deployer }
`,
        'apps/web/compose.yaml': `services:\n  web:\n    image: ${image}:1.0.0\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n`,
      });
    }, 180_000);
    afterAll(async () => {
      await stack?.close();
      await podman()?.reset();
    });

    const running = async () => {
      const [container] = await podman().docker.listContainers({
        filters: { label: ['wheelhouse.app=web'] },
      });
      return container;
    };

    it('commits the pushed tag and runs it', async () => {
      await waitFor(
        'web running 1.0.0',
        async () => {
          if ((await running())?.Image === `${image}:1.0.0`) return true;
          // Said on time-out: why web is not running it yet.
          const s = stack.engine.status('web');
          throw new Error(
            `web is ${s.syncStatus}, ${s.health.status}: ${s.lastError?.message ?? s.health.message ?? ''}`,
          );
        },
        { timeoutMs: 120_000 },
      );
      const newer = await podman().importImage('wh-test/busybox:newer', { 'etc/release': 'newer\n' });
      await pushToRegistry(podman(), 'wh-test/busybox:newer', `${image}:1.1.0`);

      const watch = createImageAutomation({
        engine: stack.engine,
        source: stack.source,
        actions: stack.chatops.actions,
        controlRepo: { url: stack.control },
        controlRef: 'main',
        env: {},
        log: silentLogger,
      });
      const [status] = await watch.checkAll();
      expect(status).toMatchObject({ app: 'web', state: 'proposed', candidate: '1.1.0' });
      expect(await git(stack.control, 'log', '-1', '--format=%an', 'main')).toBe(IMAGE_BOT);

      await stack.engine.refresh('web');
      const container = await waitFor(
        'web running 1.1.0',
        async () => {
          const c = await running();
          return c?.Image === `${image}:1.1.0` && c.State === 'running' ? c : undefined;
        },
        { timeoutMs: 120_000 },
      );
      expect(container.ImageID.replace(/^sha256:/, '')).toBe(newer.replace(/^sha256:/, ''));
      expect(stack.engine.status('web')).toMatchObject({ syncStatus: 'Synced' });
    }, 240_000);
  },
);
