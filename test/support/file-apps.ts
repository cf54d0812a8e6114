import { type Driver, silentLogger } from '../../src/core/index.js';
import { createProcessDriver } from '../../src/drivers/process/index.js';
import { fastOptions } from '../drivers/process/support.js';

/**
 * For engine tests about when apps sync rather than what they run: apps made of File resources
 * (healthy as soon as written) on a real process driver in temp dirs.
 */
export async function fileAppsDriver(tmp: (label: string) => Promise<string>): Promise<Driver> {
  return createProcessDriver({
    target: 'local',
    options: { root: await tmp('files'), ...fastOptions },
    stateDir: await tmp('state'),
    log: silentLogger,
    env: process.env,
  });
}

/** A File manifest writing `<name>.txt` with `content`. */
export const fileManifest = (name: string, content: string) => `apiVersion: wheelhouse/v1
kind: File
metadata: { name: ${name} }
spec: { path: ${name}.txt, content: ${JSON.stringify(content)} }
`;

/** The engine leaves workloads running by design; a suite stops what it started. */
export async function stopWorkloads(driver: Driver | undefined): Promise<void> {
  await driver?.start();
  await driver?.teardown?.();
  await driver?.stop();
}
