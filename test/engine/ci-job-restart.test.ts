// Issue 21: a CIJob hook runs once per change of its app — also across a restart of the engine:
// its last run lives in the app's state in the store, not in the driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCiJobRunner, createCiService } from '../../src/ci/index.js';
import type { Driver } from '../../src/core/index.js';
import { processDriverKinds } from '../../src/drivers/process/index.js';
import { type JenkinsEmulator, startJenkinsEmulator } from '../support/emulators/jenkins.js';
import { engineOn, startHarness } from '../support/engine-harness.js';
import { fileAppsDriver, stopWorkloads } from '../support/file-apps.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs();

describe('a CIJob hook across an engine restart', () => {
  let jenkins: JenkinsEmulator;
  let driver: Driver | undefined;
  let h: Awaited<ReturnType<typeof startHarness>> | undefined;
  let again: Awaited<ReturnType<typeof engineOn>> | undefined;

  beforeAll(async () => {
    jenkins = await startJenkinsEmulator();
    process.env.WH_TEST_RESTART_JENKINS_TOKEN = jenkins.token;
    jenkins.job('smoke', { result: 'success' });
    driver = await fileAppsDriver(tmp);
  });

  afterAll(async () => {
    await again?.close();
    await h?.close();
    await stopWorkloads(driver);
    await jenkins?.close();
    delete process.env.WH_TEST_RESTART_JENKINS_TOKEN;
  });

  it('does not run the job again for the same tree after the restart, and does after a change', async () => {
    const options = {
      driver: driver as Driver,
      kinds: processDriverKinds,
      ciJobs: (config: Parameters<typeof createCiService>[0]['config']) =>
        createCiJobRunner(createCiService({ config, env: process.env }), { pollMs: 0 }),
    };
    const smoke = (version: string) =>
      `apiVersion: wheelhouse/v1\nkind: CIJob\nmetadata: { name: smoke }\nspec: { ci: jenkins, job: smoke, params: { VERSION: "${version}" } }\n`;
    h = await startHarness(tmp, {
      ...options,
      files: {
        'wheelhouse.yaml': `apps:\n  - { name: web, path: apps/web }\nci:\n  jenkins: { type: jenkins, url: "${jenkins.url}/", user: wheelhouse, tokenEnv: WH_TEST_RESTART_JENKINS_TOKEN }\n`,
        'apps/web/smoke.yaml': smoke('1'),
      },
    });
    expect(h.engine.status('web').lastSync?.result).toBe('succeeded');
    expect(jenkins.builds).toHaveLength(1);
    await h.close();
    const { repoDir, dataDir } = h;
    h = undefined;

    again = await engineOn(repoDir, dataDir, options);
    await again.refresh('web');
    expect(again.engine.status('web').syncStatus).toBe('Synced');
    expect(jenkins.builds).toHaveLength(1);

    const { commitFiles } = await import('../support/git.js');
    await commitFiles(repoDir, { 'apps/web/smoke.yaml': smoke('2') }, 'smoke 2');
    await again.refresh('web');
    expect(jenkins.builds.map((b) => b.params.VERSION)).toEqual(['1', '2']);
    expect(again.engine.status('web').lastSync?.result).toBe('succeeded');
  });
});
