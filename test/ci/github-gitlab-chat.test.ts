import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import {
  type GithubActionsEmulator,
  startGithubActionsEmulator,
} from '../support/emulators/github-actions.js';
import { type GitlabEmulator, startGitlabEmulator } from '../support/emulators/gitlab.js';
import { tempDirs } from '../support/tmp.js';

function config(github: GithubActionsEmulator, gitlab: GitlabEmulator): string {
  return `ci:
  gha: { type: github-actions, repo: ${github.repo}, apiUrl: "${github.url}", tokenEnv: WH_TEST_GH_TOKEN, ref: release }
  gitlab:
    type: gitlab
    project: ${gitlab.project}
    url: "${gitlab.url}"
    triggerTokenEnv: WH_TEST_GL_TRIGGER
    tokenEnv: WH_TEST_GL_TOKEN
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
access:
  roles: { builder: [read, build] }
  bindings: [{ subjects: [Alice], role: builder }]
`;
}

describe('build from chat on GitHub Actions and GitLab (REST API emulators, real chat core, real git)', () => {
  const tmp = tempDirs();
  let github: GithubActionsEmulator;
  let gitlab: GitlabEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;

  beforeAll(async () => {
    github = await startGithubActionsEmulator();
    gitlab = await startGitlabEmulator();
    process.env.WH_TEST_GH_TOKEN = github.token;
    process.env.WH_TEST_GL_TRIGGER = gitlab.triggerToken;
    process.env.WH_TEST_GL_TOKEN = gitlab.token;
    github.workflow('deploy.yml', { result: 'success', stages: ['checkout', 'deploy'] });
    github.workflow('e2e.yml', {
      result: 'failure',
      stages: ['checkout', 'e2e'],
      console: [
        '2030-01-01T00:01:00Z Run npm run e2e',
        '2030-01-01T00:01:30Z Error: login page did not load',
      ],
    });
    gitlab.plan('main', { result: 'success', stages: ['build', 'test'] });
    gitlab.plan('nightly', {
      result: 'failure',
      console: ['$ make integration', 'make: *** [integration] Error 2'],
    });
    stack = await startChatOpsStack(tmp, { 'wheelhouse.yaml': config(github, gitlab) });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await github?.close();
    await gitlab?.close();
    for (const name of ['WH_TEST_GH_TOKEN', 'WH_TEST_GL_TRIGGER', 'WH_TEST_GL_TOKEN'])
      delete process.env[name];
  });

  it('dispatches a workflow with inputs on the configured ref, finds its run and reports success', async () => {
    const { status, text, final } = await stack.say('alice', 'build gha/deploy.yml env=staging');
    expect(status).toBe('done');
    expect(text).toContain('gha/deploy.yml#7000001 succeeded in 1m35s');
    expect(JSON.stringify(final?.body)).toContain('https://github.example/acme/shop/actions/runs/7000001');
    expect(github.runs[0]).toMatchObject({ ref: 'release', params: { env: 'staging' } });
  });

  it('reports a failed run with the failed step and the tail of its job log', async () => {
    const { status, final } = await stack.say('alice', 'build gha/e2e.yml');
    expect(status).toBe('failed');
    const body = JSON.stringify(final?.body);
    expect(body).toContain('test / e2e');
    expect(body).toContain('login page did not load');
  });

  it('triggers a GitLab pipeline with variables and follows it to success', async () => {
    const { status, text } = await stack.say('alice', 'build gitlab/main VERSION=2.0.1');
    expect(status).toBe('done');
    expect(text).toContain('gitlab/main#5001 succeeded in 42s');
    expect(gitlab.pipelines[0]).toMatchObject({ job: 'main', params: { VERSION: '2.0.1' } });
  });

  it('reports a failed pipeline with its job trace, and lists and cancels pipelines', async () => {
    const failed = await stack.say('alice', 'build gitlab/nightly');
    expect(failed.status).toBe('failed');
    expect(JSON.stringify(failed.final?.body)).toContain('make: *** [integration] Error 2');
    const listed = await stack.say('alice', 'builds gitlab/main');
    expect(JSON.stringify(listed.final?.body)).toContain('gitlab/main#5001 succeeded');
    gitlab.plan('long', { result: 'success', runningLooks: 1_000_000 });
    const started = stack.say('alice', 'build gitlab/long');
    await expect.poll(() => gitlab.pipelines.find((p) => p.job === 'long')?.looks ?? 0).toBeGreaterThan(1);
    const id = gitlab.pipelines.find((p) => p.job === 'long')?.id;
    expect((await stack.say('alice', `cancel gitlab/long#${id}`)).status).toBe('done');
    expect((await started).text).toContain(`gitlab/long#${id} was cancelled`);
  });

  it('says which env var to check when the token is wrong', async () => {
    process.env.WH_TEST_GH_TOKEN = 'wrong';
    try {
      const { status, text } = await stack.say('alice', 'build gha/deploy.yml');
      expect(status).toBe('failed');
      expect(text).toContain('answered GET');
      expect(text).toContain('401');
      expect(text).toContain('check the credentials in WH_TEST_GH_TOKEN');
      expect(text).not.toContain('wrong');
    } finally {
      process.env.WH_TEST_GH_TOKEN = github.token;
    }
  });
});
