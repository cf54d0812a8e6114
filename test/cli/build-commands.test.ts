// Issue 21: `wheelhouse build`, `builds` and `cancel` as commands of their own, against a real
// `wheelhouse up` (its API, access policy and audit) and the Jenkins remote API emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { type JenkinsEmulator, startJenkinsEmulator } from '../support/emulators/jenkins.js';
import { createRepo } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const tmp = tempDirs();

describe('wheelhouse build / builds / cancel', () => {
  let server: UpServer | undefined;
  let jenkins: JenkinsEmulator;

  beforeAll(async () => {
    await ensureBuilt();
    jenkins = await startJenkinsEmulator();
    // Builds that end at the first look: `up` looks at a followed build every 5 seconds.
    jenkins.job('deploy', { result: 'success', queuedLooks: 0, runningLooks: 0 });
    jenkins.job('broken', {
      result: 'failure',
      queuedLooks: 0,
      runningLooks: 0,
      console: ['+ npm test', 'FAIL test/api.test.ts', 'Finished: FAILURE'],
    });
    jenkins.job('soak', { result: 'success', queuedLooks: 0, runningLooks: 1_000_000_000 });
    jenkins.job('smoke', { result: 'success', queuedLooks: 0, runningLooks: 0 });
    const repo = await tmp('repo');
    await createRepo(repo, {
      'wheelhouse.yaml': `apps:\n  - { name: web, path: apps/web }\nci:\n  jenkins: { type: jenkins, url: "${jenkins.url}/", user: wheelhouse, tokenEnv: WH_TEST_CLI_JENKINS_TOKEN }\n`,
      // A PostSync CIJob: `up` runs it through the same ci: server.
      'apps/web/smoke.yaml':
        'apiVersion: wheelhouse/v1\nkind: CIJob\nmetadata: { name: smoke }\nspec: { ci: jenkins, job: smoke, params: { TARGET: web } }\n',
    });
    server = await startUp(tmp, repo, ['--log-format', 'json'], { WH_TEST_CLI_JENKINS_TOKEN: jenkins.token });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await jenkins?.close();
  });

  it('build starts the job with its parameters, follows it and exits 0 when it succeeded', async () => {
    const result = await server?.cli('build', 'jenkins/deploy', 'VERSION=1.4.2', 'DRY=no');
    expect(result?.stderr).toBe('');
    expect(result?.code).toBe(0);
    expect(result?.stdout).toContain('jenkins/deploy#1 succeeded');
    expect(result?.stdout).toContain(`Build: ${jenkins.url}/job/deploy/1/`);
    expect(jenkins.builds.find((b) => b.job === 'deploy')?.params).toEqual({ VERSION: '1.4.2', DRY: 'no' });
  }, 60_000);

  it('exits 1 when the build failed, with its last console lines', async () => {
    const result = await server?.cli('build', 'jenkins/broken');
    expect(result?.code).toBe(1);
    expect(result?.stdout).toContain('jenkins/broken#1 failed');
    expect(result?.stdout).toContain('FAIL test/api.test.ts');
  }, 60_000);

  it('--no-follow returns once started; builds lists it; cancel stops it', async () => {
    const started = await server?.cli('build', 'jenkins/soak', '--no-follow', '--json');
    expect(started?.code).toBe(0);
    expect(JSON.parse(started?.stdout ?? '{}')).toMatchObject({
      status: 'done',
      outcome: { ok: true, summary: expect.stringContaining('started jenkins/soak#') },
    });
    const soak = jenkins.builds.find((b) => b.job === 'soak');
    const listed = await server?.cli('builds', 'jenkins/soak');
    expect(listed?.code).toBe(0);
    expect(listed?.stdout).toContain(`jenkins/soak#${soak?.number}`);
    const cancelled = await server?.cli('cancel', `jenkins/soak#${soak?.number}`);
    expect(cancelled?.code).toBe(0);
    expect(cancelled?.stdout).toContain(`asked jenkins to cancel jenkins/soak#${soak?.number}`);
    expect(soak?.cancelled).toBe(true);
    const mine = await server?.cli('builds', '--json');
    expect(mine?.stdout).toContain('jenkins/deploy#1');
  }, 60_000);

  it("`up` runs an app's CIJob hook on the ci: server and the sync succeeds", async () => {
    const synced = await waitFor(
      'the first sync of web',
      async () => {
        const result = await server?.cli('history', 'web', '--json');
        const body = JSON.parse(result?.stdout || '{"syncs":[]}') as { syncs: { result: string }[] };
        const last = body.syncs[0];
        return last && last.result !== 'running' ? last : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(synced.result).toBe('succeeded');
    expect(jenkins.builds.find((b) => b.job === 'smoke')?.params).toEqual({ TARGET: 'web' });
  }, 90_000);

  it('says what is wrong with a parameter, an unknown server, and has --help', async () => {
    const bad = await server?.cli('build', 'jenkins/deploy', 'VERSION');
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toContain('"VERSION" is not a parameter: write KEY=VALUE');
    const unknown = await server?.cli('build', 'jenkinz/deploy');
    expect(unknown?.code).toBe(1);
    expect(unknown?.stdout).toContain(
      'build jenkinz/deploy failed: there is no CI server called jenkinz — did you mean jenkins?',
    );
    const help = await server?.cli('build', '--help');
    expect(help?.stdout).toContain('--no-follow');
    expect(help?.stdout).toContain('wheelhouse build jenkins/deploy VERSION=1.4.2');
  }, 60_000);
});
