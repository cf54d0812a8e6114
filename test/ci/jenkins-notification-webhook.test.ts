// Issue 21: Jenkins Notification plugin deliveries into chat — verified by the shared secret,
// posted as `ci.finished` to the routes of the apps tied to the Jenkins server. Real HTTP server,
// real chat core and notifier, real git control repo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { tempDirs } from '../support/tmp.js';

const JENKINS = 'https://jenkins.example.test/ci/';

const CONFIG = `apps:
  - { name: shop, path: apps/shop, environment: prod }
ci:
  jenkins: { type: jenkins, url: "${JENKINS}", user: wheelhouse, tokenEnv: WH_TEST_UNUSED_TOKEN, apps: [shop] }
webhooks:
  jenkins: { secretEnv: WH_TEST_JENKINS_HOOK_SECRET }
notifications:
  routes:
    - { platform: web, channel: builds, events: [ci.finished] }
`;

/** The Notification plugin's JSON format (plugins.jenkins.io/notification), one build phase. */
const notification = (phase: string, status: string | undefined, number = 41) => ({
  name: 'main',
  display_name: 'main',
  url: 'job/team/job/shop/job/main/',
  build: {
    full_url: `${JENKINS}job/team/job/shop/job/main/${number}/`,
    number,
    queue_id: 7,
    phase,
    ...(status ? { status } : {}),
    url: `job/team/job/shop/job/main/${number}/`,
    scm: { url: 'https://git.example.test/team/shop.git', branch: 'origin/main', commit: 'c0ffee' },
    log: '',
    notes: '',
    artifacts: {},
  },
});

describe('inbound CI completion: Jenkins Notification plugin deliveries posted to the app routes', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  const secret = 'jenkins-notification-secret';

  beforeAll(async () => {
    process.env.WH_TEST_JENKINS_HOOK_SECRET = secret;
    stack = await startChatOpsStack(
      tmp,
      { 'wheelhouse.yaml': CONFIG, 'apps/shop/.keep': '' },
      { http: true },
    );
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    delete process.env.WH_TEST_JENKINS_HOOK_SECRET;
  });

  const deliver = (body: unknown, query: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/hooks/jenkins${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const posted = async () => (await stack.store.listChatMessages('builds', { limit: 10 })).map((m) => m.text);

  it('refuses a delivery without the secret, or with a wrong one, and posts nothing', async () => {
    const unsigned = await deliver(notification('COMPLETED', 'FAILURE', 40), '');
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).toContain('WH_TEST_JENKINS_HOOK_SECRET');
    const wrong = await deliver(notification('COMPLETED', 'FAILURE', 40), '?token=guess');
    expect(wrong.status).toBe(401);
    await stack.settle();
    expect(await posted()).toEqual([]);
  });

  it('ignores the phases before the end (QUEUED, STARTED)', async () => {
    for (const phase of ['QUEUED', 'STARTED']) {
      const response = await deliver(notification(phase, undefined), `?token=${secret}`);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'ignored' });
    }
    await stack.settle();
    expect(await posted()).toEqual([]);
  });

  it('posts a completed build once to the routes of the apps tied to the Jenkins server', async () => {
    const completed = await deliver(notification('COMPLETED', 'FAILURE'), `?token=${secret}`);
    expect(completed.status).toBe(202);
    expect(await completed.json()).toMatchObject({ status: 'accepted', apps: ['shop'] });
    // FINALIZED follows COMPLETED for the same build: told once.
    const finalized = await deliver(notification('FINALIZED', 'FAILURE'), `?token=${secret}`);
    expect(finalized.status).toBe(202);
    await stack.settle();
    const texts = await posted();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('jenkins/team/shop/main#41 ❌ failed (shop, prod)');
  });

  it('takes the secret in X-Wheelhouse-Token too, and names a success', async () => {
    const response = await deliver(notification('COMPLETED', 'SUCCESS', 42), '', {
      'x-wheelhouse-token': secret,
    });
    expect(response.status).toBe(202);
    await stack.settle();
    expect((await posted()).join('\n')).toContain('jenkins/team/shop/main#42 ✅ succeeded');
  });

  it('tells no app about a build on another Jenkins', async () => {
    const elsewhere = notification('COMPLETED', 'SUCCESS', 43);
    elsewhere.build.full_url = 'https://other-jenkins.example.test/job/team/job/shop/job/main/43/';
    const response = await deliver(elsewhere, `?token=${secret}`);
    expect(await response.json()).toMatchObject({ status: 'accepted', apps: [] });
    await stack.settle();
    expect((await posted()).join('\n')).not.toContain('#43');
  });
});
