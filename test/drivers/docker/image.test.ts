import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/core/index.js';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { applyContext, dockerDeps, dockerDesired } from '../../support/docker.js';
import { pushToRegistry, registrySkipReason, usePodman } from '../../support/podman.js';

describe.skipIf(registrySkipReason !== undefined)('docker driver: images from a registry', () => {
  const podman = usePodman({ registry: true });
  let driver: Driver;

  beforeEach(async () => {
    driver = createDockerDriver(dockerDeps(podman()));
    await driver.start();
  });
  afterEach(async () => {
    await driver.stop();
    await podman().reset();
  });

  const sleeper = (image: string, extra: Record<string, unknown> = {}) =>
    dockerDesired('Container', 'app', {
      image,
      command: ['sleep', '3600'],
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
      ...extra,
    });

  it('pulls a missing image with progress, records its digest, and runs the same digest when pinned', async () => {
    const ref = `${podman().registry}/wh/app:v1`;
    const digest = await pushToRegistry(podman(), podman().image, ref);

    const ctx = applyContext();
    const outcome = await driver.apply(sleeper(ref), ctx);
    expect(ctx.messages[0]).toBe(`pulling ${ref}`);
    expect(ctx.messages).toContain(`pulled ${ref}`);
    const facts = outcome.facts as { image: string; imageId: string; repoDigest: string };
    expect(facts.repoDigest).toBe(`${podman().registry}/wh/app@${digest}`);

    // The tag moves on in the registry; re-applying this tree (a rollback) with the facts history
    // recorded runs the digest it ran then, not what the tag points at now.
    await driver.remove(
      (await driver.observe('shop'))[0] ?? expect.fail('no live container'),
      applyContext(),
    );
    const moved = await podman().importImage('wh-test/busybox:moved', { 'etc/release': 'moved\n' });
    await pushToRegistry(podman(), 'wh-test/busybox:moved', ref);
    await podman()
      .docker.getImage(ref)
      .remove()
      .catch(() => undefined);
    const rollback = { ...applyContext(), recorded: facts };
    const pinned = await driver.apply(sleeper(ref, { pullPolicy: 'Always' }), rollback);
    expect((pinned.facts as { imageId: string }).imageId).toBe(facts.imageId);
    const [container] = await podman().docker.listContainers({ filters: { label: ['wheelhouse.app=shop'] } });
    expect(container?.ImageID).toBe(facts.imageId);
    expect(container?.ImageID).not.toBe(moved);
  });

  it('IfNotPresent keeps the local image; Always picks up a moved tag and recreates the container', async () => {
    const ref = `${podman().registry}/wh/app:stable`;
    const repo = `${podman().registry}/wh/app`;
    const containers = async () =>
      (await podman().docker.listContainers({ filters: { label: ['wheelhouse.app=shop'] } })).map((c) => ({
        id: c.Id,
        image: c.ImageID,
      }));
    /** Move the registry's tag to a new image while this host keeps the old one under the tag. */
    const moveTag = async (round: number, keepLocal: string) => {
      const id = await podman().importImage(`wh-test/busybox:r${round}`, { 'etc/release': `r${round}\n` });
      const digest = await pushToRegistry(podman(), `wh-test/busybox:r${round}`, ref);
      await podman().docker.getImage(keepLocal).tag({ repo, tag: 'stable' });
      return { id, digest };
    };

    // Fresh content (test images share layers and digests across tests otherwise).
    await podman().importImage('wh-test/busybox:r0', { 'etc/release': 'r0\n' });
    const digestA = await pushToRegistry(podman(), 'wh-test/busybox:r0', ref);
    const a = await driver.apply(sleeper(ref), applyContext());
    const factsA = a.facts as { imageId: string; repoDigest: string };
    expect(factsA.repoDigest).toBe(`${repo}@${digestA}`);
    const onA = await containers();

    const b = await moveTag(1, factsA.imageId);
    const quiet = applyContext();
    await driver.apply(sleeper(ref), quiet);
    expect(quiet.messages).toEqual([]);
    expect(await containers()).toEqual(onA);

    // Always pulls: the policy changed (a new spec) and the tag moved to B.
    await driver.apply(sleeper(ref, { pullPolicy: 'Always' }), applyContext());
    const onB = await containers();
    expect(onB.map((c) => c.image)).toEqual([b.id]);

    // Always, nothing moved: pulled, untouched.
    const again = applyContext();
    await driver.apply(sleeper(ref, { pullPolicy: 'Always' }), again);
    expect(again.messages[0]).toBe(`pulling ${ref}`);
    expect(await containers()).toEqual(onB);

    // Always, same spec, the tag moved to C: recreated on C, and history gets C's digest.
    const c = await moveTag(2, b.id);
    const moved = await driver.apply(sleeper(ref, { pullPolicy: 'Always' }), applyContext());
    const onC = await containers();
    expect(onC.map((x) => x.image)).toEqual([c.id]);
    expect(onC[0]?.id).not.toBe(onB[0]?.id);
    const movedFacts = moved.facts as { repoDigest?: string } | undefined;
    expect(movedFacts?.repoDigest).toBe(`${repo}@${c.digest}`);
  });

  it('reports a pull failure with the image and what to check', async () => {
    const ref = `${podman().registry}/wh/absent:1`;
    await expect(driver.apply(sleeper(ref), applyContext())).rejects.toThrow(
      new RegExp(`pull.*${ref.replace(/[.]/g, '\\.')}.*(check|registry)`, 'i'),
    );
    expect(await driver.observe('shop')).toEqual([]);
  });
});
