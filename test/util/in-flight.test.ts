import { describe, expect, it } from 'vitest';
import { createInFlight } from '../../src/util/index.js';

function deferred() {
  let resolve = () => {};
  let reject = (_err: unknown) => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createInFlight', () => {
  it('is idle at once when nothing runs', async () => {
    await expect(createInFlight().idle()).resolves.toBeUndefined();
  });

  it('waits for tracked work, for work started meanwhile, and past a failure', async () => {
    const inFlight = createInFlight();
    const first = deferred();
    const second = deferred();
    const failed = inFlight.track(first.promise);
    const ended: string[] = [];
    const idle = inFlight.idle().then(() => ended.push('idle'));
    inFlight.track(second.promise).then(() => ended.push('second'));
    first.reject(new Error('boom'));
    await expect(failed).rejects.toThrow('boom');
    expect(ended).toEqual([]);
    second.resolve();
    await idle;
    expect(ended).toEqual(['second', 'idle']);
  });
});
