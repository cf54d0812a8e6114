import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { type JenkinsEmulator, startJenkinsEmulator } from '../support/emulators/jenkins.js';
import { tempDirs } from '../support/tmp.js';

function config(url: string): string {
  return `ci:
  jenkins: { type: jenkins, url: "${url}/", user: wheelhouse, tokenEnv: WH_TEST_JENKINS_TOKEN }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice", "api:alice"] }
  - { name: Bob, email: bob@example.com, ids: ["web:bob"] }
access:
  roles: { builder: [read, build] }
  bindings:
    - { subjects: [Alice], role: builder }
    - { subjects: [Bob], role: builder, jobs: ["jenkins/team/*"] }
  defaultRole: viewer
`;
}

describe('build from chat on Jenkins (remote access API emulator, real chat core, real git)', () => {
  const tmp = tempDirs();
  let jenkins: JenkinsEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;

  beforeAll(async () => {
    jenkins = await startJenkinsEmulator();
    process.env.WH_TEST_JENKINS_TOKEN = jenkins.token;
    jenkins.job('team/shop/main', { result: 'success', stages: ['Build', 'Test'], runningLooks: 2 });
    jenkins.job('deploy', {
      result: 'failure',
      stages: ['Checkout', 'Integration tests'],
      console: ['+ npm test', 'FAIL test/api.test.ts', '  expected 200, got 500', 'Finished: FAILURE'],
    });
    stack = await startChatOpsStack(tmp, { 'wheelhouse.yaml': config(jenkins.url) });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await jenkins?.close();
    delete process.env.WH_TEST_JENKINS_TOKEN;
  });

  it('starts a multibranch job with parameters, follows it stage by stage and reports success with the link', async () => {
    const { replies, final, status, text } = await stack.say(
      'alice',
      'build jenkins/team/shop/main VERSION=1.4.2 DRY=yes',
    );
    expect(status).toBe('done');
    expect(text).toContain('jenkins/team/shop/main#1 succeeded in 1m1s');
    const build = jenkins.builds.find((b) => b.job === 'team/shop/main');
    expect(build?.params).toEqual({ VERSION: '1.4.2', DRY: 'yes' });
    // Every POST carried the crumb of its session: no 403 on the way.
    expect(jenkins.requests.filter((r) => r.status === 403)).toEqual([]);
    const link = `${jenkins.url}/job/team/job/shop/job/main/1/`;
    expect(JSON.stringify(final?.body)).toContain(link);
    // It was followed the way Jenkins tells it: the queue item until it named its build, then
    // the build and its stages (thread updates coalesce, so the emulator's log is the witness).
    const paths = jenkins.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /crumbIssuer/api/json',
        'POST /job/team/job/shop/job/main/buildWithParameters',
        'GET /queue/item/101/api/json',
        'GET /job/team/job/shop/job/main/1/api/json',
        'GET /job/team/job/shop/job/main/1/wfapi/describe',
      ]),
    );
    expect(replies.length).toBeGreaterThan(0);
    const audit = await stack.store.listAudit({ limit: 20 });
    const started = audit.filter((e) => e.action === 'command.build' && e.actor === 'web:alice');
    expect(started.map((e) => e.result)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pending/),
        expect.stringMatching(/^ok: jenkins\/team\/shop\/main#1 succeeded/),
      ]),
    );
  });

  it('reports a failed build with the failed stage and the last console lines', async () => {
    const { status, final } = await stack.say('alice', 'build jenkins/deploy');
    expect(status).toBe('failed');
    const body = JSON.stringify(final?.body);
    expect(body).toContain('jenkins/deploy#1 failed');
    expect(body).toContain('Integration tests');
    expect(body).toContain('expected 200, got 500');
  });

  it('lists builds of a job from Jenkins and the ones started here', async () => {
    const job = await stack.say('bob', 'builds jenkins/team/shop/main');
    expect(job.status).toBe('done');
    expect(JSON.stringify(job.final?.body)).toContain('jenkins/team/shop/main#1 succeeded');
    const here = await stack.say('bob', 'builds');
    const body = JSON.stringify(here.final?.body);
    expect(body).toContain('jenkins/deploy#1 failed');
    expect(body).toContain('by web:alice');
  });

  it('refuses build to someone without the build permission, naming it and who holds it', async () => {
    const before = jenkins.builds.length;
    const { text, status } = await stack.say('bob', 'build jenkins/deploy');
    expect(status).toBe('refused');
    expect(text).toMatch(/lacks the build permission.*held by Alice/);
    expect(jenkins.builds.length).toBe(before);
  });

  it('lets a binding scope build to some jobs (jobs: in access.bindings)', async () => {
    const inScope = await stack.say('bob', 'build jenkins/team/shop/main');
    expect(inScope.status).toBe('done');
    const outside = await stack.say('bob', 'cancel jenkins/deploy#1');
    expect(outside.status).toBe('refused');
    expect(outside.text).toMatch(/lacks the build permission for CI job jenkins\/deploy/);
  });

  it('cancels a build by the id `builds` shows', async () => {
    jenkins.job('long', { result: 'success', runningLooks: 1_000_000 });
    // Start it, then cancel it from chat while its own thread still follows it.
    const started = stack.say('alice', 'build jenkins/long');
    await expect.poll(() => jenkins.builds.find((b) => b.job === 'long')?.looks ?? 0).toBeGreaterThan(1);
    const cancel = await stack.say('alice', 'cancel jenkins/long#1');
    expect(cancel.status).toBe('done');
    const { status, text } = await started;
    expect(status).toBe('failed');
    expect(text).toContain('jenkins/long#1 was cancelled');
  });

  it('starts a build over the HTTP API (POST /api/v1/actions) and answers when it ended', async () => {
    const app = Fastify();
    await app.register(stack.chatops.routes(() => 'alice'));
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/actions',
        payload: { command: 'build', args: { job: 'jenkins/team/shop/main', params: { VERSION: '1.5.0' } } },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json() as { status: string; outcome: { summary: string } };
      expect(body.status).toBe('done');
      expect(body.outcome.summary).toMatch(/^jenkins\/team\/shop\/main#\d+ succeeded/);
      expect(jenkins.builds.at(-1)?.params).toEqual({ VERSION: '1.5.0' });
      const audit = await stack.store.listAudit({ actor: 'api:alice', limit: 5 });
      expect(audit.some((e) => e.action === 'command.build' && e.platform === 'api')).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('masks the API token where a console tail prints it (tokenEnv values are secrets)', async () => {
    jenkins.job('leaky', { result: 'failure', console: [`curl -u wheelhouse:${jenkins.token} …`, 'exit 1'] });
    const { status, final } = await stack.say('alice', 'build jenkins/leaky');
    expect(status).toBe('failed');
    const body = JSON.stringify(final?.body);
    expect(body).toContain('exit 1');
    expect(body).not.toContain(jenkins.token);
  });

  it('says which CI server is meant when the name is wrong', async () => {
    const { text } = await stack.say('alice', 'build jenkis/deploy');
    expect(text).toContain('there is no CI server called jenkis — did you mean jenkins?');
  });
});
