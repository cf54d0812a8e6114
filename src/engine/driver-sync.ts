import { type Driver, errorMessage, type Logger } from '../core/index.js';

/**
 * Runs one sync's applies and removes between the driver's optional `beginSync` and `endSync`, so
 * the driver can batch its bookkeeping (the kubernetes inventory: one write per sync). `endSync`
 * runs also when the run throws; its own failure then goes to the log, and the run's error is the
 * one the sync reports.
 */
export async function withinDriverSync<T>(
  driver: Driver,
  app: string,
  log: Logger,
  run: () => Promise<T>,
): Promise<T> {
  await driver.beginSync?.(app);
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await driver.endSync?.(app).catch((endErr: unknown) => {
      log.warn({ app, driver: driver.name, err: errorMessage(endErr) }, 'the driver could not end the sync');
    });
    throw err;
  }
  await driver.endSync?.(app);
  return result;
}
