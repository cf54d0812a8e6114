// Issue 21: `kind: CIJob` sync hooks — a job on a `ci:` server gates the sync, whatever the
// driver. Real engine, real git, the process driver, SQLite, the chat notifier; Jenkins emulated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { type JenkinsEmulator, startJenkinsEmulator } from '../support/emulators/jenkins.js';
import { tempDirs } from '../support/tmp.js';

const CONFIG = (url: string) => `apps:
  - { name: web, path: apps/web, environment: staging }
ci:
  jenkins: { type: jenkins, url: "${url}/", user: wheelhouse, tokenEnv: WH_TEST_CIJOB_JENKINS_TOKEN }
notifications:
  routes:
    - { platform: web, channel: alerts, events: [sync.failed] }
`;

const file = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec: { path: out/${name}.txt, content: "${content}" }\n`;

const ciJob = (name: string, spec: string) =>
  `apiVersion: wheelhouse/v1\nkind: CIJob\nmetadata: { name: ${name} }\nspec:\n${spec}`;

describe('CIJob sync hooks (engine + real git + process driver + Jenkins emulator)', () => {
  const tmp = tempDirs();
  let jenkins: JenkinsEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;

  const lastSync = async () => (await stack.store.listSyncs('web', { limit: 1 }))[0];

  beforeAll(async () => {
    jenkins = await startJenkinsEmulator();
    process.env.WH_TEST_CIJOB_JENKINS_TOKEN = jenkins.token;
    jenkins.job('integration', { result: 'success', stages: ['Smoke'] });
    jenkins.job('integration-broken', {
      result: 'failure',
      stages: ['Smoke', 'API tests'],
      console: ['+ npm run smoke', 'GET /health -> 500', 'smoke test failed', 'Finished: FAILURE'],
    });
    jenkins.job('migrate-check', { result: 'failure', console: ['schema drift found', 'Finished: FAILURE'] });
    jenkins.job('soak', { result: 'success', runningLooks: 1_000_000_000 });
    stack = await startChatOpsStack(
      tmp,
      {
        'wheelhouse.yaml': CONFIG(jenkins.url),
        'apps/web/page.yaml': file('page', 'v1'),
        'apps/web/smoke.yaml': ciJob(
          'smoke',
          '  ci: jenkins\n  job: integration\n  params: { TARGET: staging, RUN: 1 }\n',
        ),
      },
      { ciJobs: true },
    );
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await jenkins?.close();
    delete process.env.WH_TEST_CIJOB_JENKINS_TOKEN;
  });

  it('runs a PostSync job after the apply with its parameters; the sync succeeds, once per change', async () => {
    const sync = await lastSync();
    expect(sync?.result).toBe('succeeded');
    const builds = jenkins.builds.filter((b) => b.job === 'integration');
    expect(builds.map((b) => b.params)).toEqual([{ TARGET: 'staging', RUN: '1' }]);
    expect(sync?.changeSet.map((c) => c.key)).toEqual([
      expect.stringContaining('/File/web/page'),
      expect.stringContaining('/CIJob/web/smoke'),
    ]);
    const status = stack.engine.status('web');
    expect(status.syncStatus).toBe('Synced');
    // Nothing changed: checking again runs no second build.
    await stack.engine.refresh('web');
    await stack.settle();
    expect(jenkins.builds.filter((b) => b.job === 'integration')).toHaveLength(1);
  });

  it('fails the sync naming the build, its link and its last console lines, and notifies', async () => {
    await stack.pushFromOutside(
      {
        'apps/web/page.yaml': file('page', 'v2'),
        'apps/web/smoke.yaml': ciJob('smoke', '  ci: jenkins\n  job: integration-broken\n'),
      },
      'smoke against the broken suite',
    );
    await stack.settle();
    const sync = await lastSync();
    expect(sync?.result).toBe('failed');
    const build = jenkins.builds.find((b) => b.job === 'integration-broken');
    const link = `${jenkins.url}/job/integration-broken/${build?.number}/`;
    const failure = sync?.messages.join('\n') ?? '';
    expect(failure).toContain(
      `PostSync CIJob smoke failed (jenkins/integration-broken#${build?.number} (${link}) failed)`,
    );
    expect(failure).toContain('smoke test failed');
    // The File was applied before the PostSync hook ran.
    expect(sync?.changeSet.map((c) => c.key)).toContainEqual(expect.stringContaining('/File/web/page'));
    const alerts = await stack.store.listChatMessages('alerts', { limit: 10 });
    expect(alerts.map((m) => m.text).join('\n')).toContain('jenkins/integration-broken');
  });

  it('a failing PreSync job stops the sync before anything is applied', async () => {
    await stack.pushFromOutside(
      {
        'apps/web/page.yaml': file('page', 'v3'),
        'apps/web/smoke.yaml': ciJob('smoke', '  ci: jenkins\n  job: integration\n'),
        'apps/web/check.yaml': ciJob('check', '  ci: jenkins\n  job: migrate-check\n  phase: PreSync\n'),
      },
      'a pre-sync check that fails',
    );
    await stack.settle();
    const sync = await lastSync();
    expect(sync?.result).toBe('failed');
    expect(sync?.messages.join('\n')).toMatch(
      /PreSync CIJob check failed \(jenkins\/migrate-check#1 .*failed\); nothing else was changed/,
    );
    expect(sync?.changeSet.map((c) => c.key)).toEqual([expect.stringContaining('/CIJob/web/check')]);
    // The PostSync job never ran for this revision.
    expect(jenkins.builds.filter((b) => b.job === 'integration')).toHaveLength(1);
  });

  it('a job that does not end within its timeout is cancelled and fails the sync', async () => {
    await stack.pushFromOutside(
      {
        'apps/web/check.yaml': '',
        'apps/web/smoke.yaml': ciJob('smoke', '  ci: jenkins\n  job: soak\n  timeout: 200ms\n'),
      },
      'a soak test that never ends',
    );
    await stack.settle();
    const sync = await lastSync();
    expect(sync?.result).toBe('failed');
    expect(sync?.messages.join('\n')).toContain(
      'did not finish within its timeout of 200ms; it was cancelled — raise spec.timeout',
    );
    expect(jenkins.builds.find((b) => b.job === 'soak')?.cancelled).toBe(true);
  });

  it('an unknown CI server or a missing job is a located error; nothing runs', async () => {
    const before = jenkins.builds.length;
    await stack.pushFromOutside(
      {
        'apps/web/smoke.yaml': ciJob('smoke', '  ci: jenkinz\n  job: integration\n'),
        'apps/web/check.yaml': ciJob('check', '  ci: jenkins\n'),
      },
      'typos',
    );
    await stack.settle();
    const { renderError } = stack.engine.status('web');
    const issues = (renderError?.issues ?? []).map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`);
    expect(issues).toEqual([
      'apps/web/check.yaml:5 spec.job: is required — add the job to run on that server (e.g. integration-tests or team/shop/main)',
      'apps/web/smoke.yaml:5 spec.ci: there is no CI server called jenkinz — did you mean jenkins? (declared under ci: in wheelhouse.yaml: jenkins)',
    ]);
    expect(jenkins.builds.length).toBe(before);
  });
});
