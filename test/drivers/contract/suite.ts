import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApplyContext,
  type DesiredResource,
  type Driver,
  type DriverEvent,
  silentLogger,
} from '../../../src/core/index.js';
import { diffResources } from '../../../src/diff/index.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The Driver port's contract, one suite run against every driver (fake, process, docker,
 * kubernetes), so that the fake the engine's tests use behaves like the real ones: apply and
 * observe, diff, health, events, re-adoption after a restart, prune. Each driver's file gives a
 * `ContractSubject`: how to make its driver, two resources of its own kinds, and how to change one
 * behind the driver's back.
 */
export interface ContractSubject {
  /** A driver on the subject's target; called again for a restart (same state, same platform). */
  driver(): Driver;
  /** Two resources of `app`, and the first one in a changed version. */
  resources(app: string): { first: DesiredResource; firstChanged: DesiredResource; second: DesiredResource };
  /** Change or remove the resource on the platform without the driver (a kill, `kubectl delete`). */
  disturb(resource: DesiredResource): Promise<void>;
  /** The source checkout applies run from (a Process's cwd); none by default. */
  checkout?: string;
}

const APP = 'contract';

const contextFor =
  (checkout: string | undefined) =>
  (app: string): ApplyContext => ({
    app,
    revision: 'c'.repeat(40),
    digest: 'd'.repeat(40),
    checkout: async () => {
      if (checkout === undefined) throw new Error('the contract resources of this driver need no checkout');
      return checkout;
    },
    signal: new AbortController().signal,
    progress: () => {},
    log: silentLogger,
  });

/** Keys whose live state differs from the declaration (what `diff` and OutOfSync show). */
async function differing(driver: Driver, desired: readonly DesiredResource[]): Promise<string[]> {
  const changes = diffResources(desired, await driver.observe(APP));
  return changes.filter((c) => c.action !== 'unchanged').map((c) => c.key);
}

export function driverContract(
  name: string,
  subjectOf: () => ContractSubject | Promise<ContractSubject>,
): void {
  describe(`driver contract: ${name}`, () => {
    let subject: ContractSubject;
    let driver: Driver;
    let set: ReturnType<ContractSubject['resources']>;
    const events: DriverEvent[] = [];
    let unwatch = () => {};
    let context: (app: string) => ApplyContext;

    beforeAll(async () => {
      subject = await subjectOf();
      set = subject.resources(APP);
      context = contextFor(subject.checkout);
      driver = subject.driver();
      await driver.start();
      unwatch = driver.watch?.((event) => events.push(event)) ?? (() => {});
    }, 120_000);

    afterAll(async () => {
      unwatch();
      await driver?.stop();
    });

    it('applies, and observes what it applied as declared, for that app only', async () => {
      await driver.apply(set.first, context(APP));
      await driver.apply(set.second, context(APP));
      const live = await driver.observe(APP);
      expect(live.map((r) => r.key).sort()).toEqual([set.first.key, set.second.key].sort());
      for (const r of live) expect(r.app).toBe(APP);
      expect(await differing(driver, [set.first, set.second])).toEqual([]);
      expect(await driver.observe('another-app')).toEqual([]);
    });

    it('judges health: Healthy once running, Missing for what it never applied', async () => {
      for (const r of [set.first, set.second]) {
        await waitFor(
          `${r.key} to be Healthy`,
          async () => (await driver.health(APP, r.key)).status === 'Healthy',
        );
      }
      const never = { ...set.second, key: `${set.second.key}-never`, metadata: { name: 'never' } };
      expect((await driver.health(APP, never.key)).status).toBe('Missing');
    });

    it('shows a changed declaration as a difference of that resource only, until applied', async () => {
      expect(await differing(driver, [set.firstChanged, set.second])).toEqual([set.first.key]);
      await driver.apply(set.firstChanged, context(APP));
      expect(await differing(driver, [set.firstChanged, set.second])).toEqual([]);
    });

    it('tells watchers of a change made behind its back, which diff then shows, and heals on apply', async () => {
      events.length = 0;
      await subject.disturb(set.firstChanged);
      const event = await waitFor('a watch event for the disturbed resource', () =>
        events.find((e) => e.key === set.first.key),
      );
      expect(event).toMatchObject({ app: APP, key: set.first.key, reason: expect.any(String) });
      expect(events.filter((e) => e.key !== set.first.key)).toEqual([]);
      await waitFor('diff to show the disturbed resource', async () =>
        (await differing(driver, [set.firstChanged, set.second])).includes(set.first.key),
      );
      expect(await differing(driver, [set.firstChanged, set.second])).toEqual([set.first.key]);
      await driver.apply(set.firstChanged, context(APP));
      await waitFor(
        'the resource to be healed',
        async () => (await differing(driver, [set.firstChanged, set.second])).length === 0,
      );
    });

    it('re-adopts what it applied after a restart, changing nothing', async () => {
      unwatch();
      await driver.stop();
      driver = subject.driver();
      await driver.start();
      unwatch = driver.watch?.((event) => events.push(event)) ?? (() => {});
      expect(await differing(driver, [set.firstChanged, set.second])).toEqual([]);
      for (const r of [set.first, set.second]) {
        await waitFor(
          `${r.key} to be Healthy again`,
          async () => (await driver.health(APP, r.key)).status === 'Healthy',
        );
      }
    });

    it('prunes exactly the resource it is told to remove', async () => {
      const second = (await driver.observe(APP)).find((r) => r.key === set.second.key);
      if (!second) throw new Error(`${set.second.key} is not observed`);
      await driver.remove(second, context(APP));
      await waitFor('only the first resource to be left', async () => {
        const keys = (await driver.observe(APP)).map((r) => r.key);
        return keys.length === 1 && keys[0] === set.first.key;
      });
      expect((await driver.health(APP, set.second.key)).status).toBe('Missing');
      const first = (await driver.observe(APP))[0];
      if (!first) throw new Error(`${set.first.key} is not observed`);
      await driver.remove(first, context(APP));
      await waitFor('nothing to be left', async () => (await driver.observe(APP)).length === 0);
    });
  });
}
