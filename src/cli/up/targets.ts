import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Driver, type Logger, type TargetSpec, WheelhouseError } from '../../core/index.js';
import { driverFactories, driverNames } from '../../drivers/index.js';

/** `<data>/targets/<name>`: the state a target's driver owns (and a note of which driver it is). */
export function targetDir(dataDir: string, target: string): string {
  return join(dataDir, 'targets', target);
}

/**
 * Builds a target's driver; remembers the target so `wheelhouse down` can stop its workloads.
 * `reservedEnv` names the variables holding Wheelhouse's own secrets, which workloads never get.
 */
export function createTargetDriver(
  dataDir: string,
  target: TargetSpec,
  log: Logger,
  reservedEnv?: () => readonly string[],
  secretValues?: () => ReadonlySet<string>,
): Driver {
  const factory = driverFactories[target.driver];
  if (!factory) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `target ${target.name} uses driver ${target.driver}, which this build does not have (available: ${driverNames().join(', ')})`,
    );
  }
  const stateDir = targetDir(dataDir, target.name);
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'target.json'), `${JSON.stringify(target, null, 2)}\n`);
  const options =
    target.driver === 'process' && target.options.root === undefined
      ? { ...target.options, root: join(dataDir, 'files', target.name) }
      : target.options;
  return factory({
    target: target.name,
    options,
    stateDir,
    log,
    env: process.env,
    ...(reservedEnv ? { reservedEnv } : {}),
    ...(secretValues ? { secretValues } : {}),
  });
}

/** Every target an earlier `up` used on this data dir. */
export async function knownTargets(dataDir: string): Promise<TargetSpec[]> {
  const root = join(dataDir, 'targets');
  const names = await readdir(root).catch(() => [] as string[]);
  const out: TargetSpec[] = [];
  for (const name of names) {
    const text = await readFile(join(root, name, 'target.json'), 'utf8').catch(() => undefined);
    if (text) out.push(JSON.parse(text) as TargetSpec);
  }
  return out;
}

/**
 * `wheelhouse down`: stops the workloads of every target an earlier `up` used on this data dir.
 * Returns, per target, whether it stopped or why not; one target failing does not stop the rest.
 */
export async function teardownTargets(
  dataDir: string,
  log: Logger,
): Promise<{ target: TargetSpec; error?: unknown }[]> {
  const results: { target: TargetSpec; error?: unknown }[] = [];
  for (const target of await knownTargets(dataDir)) {
    try {
      await createTargetDriver(dataDir, target, log).teardown?.();
      results.push({ target });
    } catch (error) {
      results.push({ target, error });
    }
  }
  return results;
}
