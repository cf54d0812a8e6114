import { describe, expect, it } from 'vitest';
import { type DesiredResource, silentLogger, WheelhouseError } from '../../src/core/index.js';
import { diffResources } from '../../src/diff/index.js';
import { planSync, type RunInput, type RunResult, type RunStep, runPlan } from '../../src/reconcile/index.js';
import { createRedactor } from '../../src/util/index.js';
import { FakeDriver, fakeKindOrder } from '../support/fake-driver.js';
import { desired } from '../support/resources.js';

// Tiny timeouts and backoffs are inputs only; no test asserts how long anything took.
const DIGEST = 'tree-2';

interface Progress {
  step: RunStep;
  message: string;
  key?: string;
}

async function sync(
  driver: FakeDriver,
  want: DesiredResource[],
  options: Partial<Omit<RunInput, 'plan' | 'driver'>> & { prune?: boolean; allowEmpty?: boolean } = {},
): Promise<{ result: RunResult; progress: Progress[] }> {
  const have = await driver.observe('web');
  const plan = planSync({
    desired: want,
    live: have,
    changes: diffResources(want, have, { digest: DIGEST }),
    prune: options.prune ?? true,
    allowEmpty: options.allowEmpty ?? false,
    kindOrder: fakeKindOrder,
  });
  const progress: Progress[] = [];
  const { prune: _prune, allowEmpty: _allowEmpty, ...rest } = options;
  const result = await runPlan({
    plan,
    driver,
    context: {
      app: 'web',
      revision: 'rev-2',
      digest: DIGEST,
      checkout: async () => '/nonexistent',
      log: silentLogger,
    },
    timeoutMs: 30_000,
    retries: 2,
    backoff: { baseMs: 1, maxMs: 5 },
    pollMs: 2,
    onProgress: (step, message, key) =>
      progress.push(key === undefined ? { step, message } : { step, message, key }),
    ...rest,
  });
  return { result, progress };
}

const web = (spec: Record<string, unknown> = { command: ['node', 'server.js'] }, wave = 0) =>
  desired('Process', 'web', spec, { wave });
const conf = (content = 'a = 1\n') => desired('File', 'conf', { path: 'conf/app.toml', content });
const preJob = (name = 'migrate') =>
  desired('Job', name, { command: ['migrate'], phase: 'PreSync' }, { hook: 'PreSync' });
const postJob = (name = 'notify') =>
  desired('Job', name, { command: ['notify'], phase: 'PostSync' }, { hook: 'PostSync' });

describe('runPlan: a full sync', () => {
  it('runs PreSync hooks, waves with their health, PostSync hooks, then prune, and reports it all', async () => {
    const driver = new FakeDriver();
    const old = desired('Process', 'old', { command: ['old'] });
    driver.seed(old).seed(web({ command: ['node', 'old.js'] }));
    driver.facts(web().key, { pid: 4242 });
    const db = desired('Process', 'db', { command: ['db'] }, { wave: -1 });

    const { result, progress } = await sync(driver, [web(), conf(), db, preJob(), postJob()]);

    expect(result.result).toBe('succeeded');
    expect(result.outcome).toEqual({ kind: 'ready' });
    const ops = driver.calls.filter((call) => call.op !== 'health').map((call) => `${call.op} ${call.key}`);
    expect(ops).toEqual([
      `apply ${preJob().key}`,
      `apply ${db.key}`,
      `apply ${conf().key}`,
      `apply ${web().key}`,
      `apply ${postJob().key}`,
      `remove ${old.key}`,
    ]);
    // Wave -1 (db) was healthy before wave 0 was applied.
    const dbHealth = driver.calls.findIndex((call) => call.op === 'health' && call.key === db.key);
    const confApply = driver.calls.findIndex((call) => call.op === 'apply' && call.key === conf().key);
    expect(dbHealth).toBeGreaterThan(-1);
    expect(dbHealth).toBeLessThan(confApply);
    // PostSync ran only after the resources it follows were checked healthy.
    const webApply = driver.calls.findIndex((call) => call.op === 'apply' && call.key === web().key);
    const notifyApply = driver.calls.findIndex((call) => call.op === 'apply' && call.key === postJob().key);
    const between = driver.calls.slice(webApply, notifyApply);
    expect(between.some((call) => call.op === 'health' && call.key === web().key)).toBe(true);

    expect(result.applied.map((change) => `${change.action} ${change.name}`)).toEqual([
      'created migrate',
      'created db',
      'created conf',
      'configured web',
      'created notify',
      'deleted old',
    ]);
    expect(result.facts).toEqual({ [web().key]: { pid: 4242 } });
    expect(result.health.status).toBe('Healthy');
    expect(result.resources.map((resource) => resource.name).sort()).toEqual(['conf', 'db', 'web']);
    expect(driver.liveKeys('web').sort()).toEqual(
      [web().key, conf().key, db.key, preJob().key, postJob().key].sort(),
    );
    expect(result.messages).toContain('PreSync Job migrate succeeded');
    expect(result.messages).toContain('PostSync Job notify succeeded');

    // Progress steps come in the order of the sync: plan, presync, apply/health, postsync, prune, done.
    const rank: Record<RunStep, number> = {
      plan: 0,
      presync: 1,
      apply: 2,
      health: 2,
      postsync: 3,
      prune: 4,
      done: 5,
    };
    const steps = progress.map((event) => event.step);
    expect(steps[0]).toBe('plan');
    expect(steps[steps.length - 1]).toBe('done');
    for (let i = 1; i < steps.length; i++) {
      expect(rank[steps[i] as RunStep], `${steps[i - 1]} then ${steps[i]}`).toBeGreaterThanOrEqual(
        rank[steps[i - 1] as RunStep],
      );
    }
    expect(progress).toContainEqual({ step: 'apply', message: 'updating Process web', key: web().key });
    // The driver's own progress is routed to the resource.
    expect(progress).toContainEqual({
      step: 'apply',
      message: 'Process web: applied Process web',
      key: web().key,
    });
    expect(progress).toContainEqual({ step: 'prune', message: 'removing Process old', key: old.key });
  });

  it('does nothing for an unchanged app and reports its health', async () => {
    const driver = new FakeDriver().seed(web()).seed(conf());
    const { result } = await sync(driver, [web(), conf()]);
    expect(result.result).toBe('succeeded');
    expect(result.applied).toEqual([]);
    expect(driver.keysOf('apply')).toEqual([]);
    expect(result.health).toEqual({ status: 'Healthy', message: 'all 2 resources are Healthy' });
  });
});

describe('runPlan: hooks', () => {
  it('a failing PreSync hook fails the sync before anything else is touched, with its log tail', async () => {
    const driver = new FakeDriver();
    const old = desired('Process', 'old');
    driver.seed(web({ command: ['v1'] })).seed(old);
    driver.hookResult(preJob().key, {
      succeeded: false,
      logTail: ['npm ERR! missing script: migrate', 'exit 1'],
    });

    const { result } = await sync(driver, [preJob(), web({ command: ['v2'] }), conf(), postJob()]);

    expect(result.result).toBe('failed');
    expect(result.outcome).toEqual({ kind: 'stalled', reason: 'HookFailed' });
    expect(result.failure).toMatchObject({
      reason: 'HookFailed',
      code: 'HOOK_FAILED',
      resource: preJob().key,
    });
    expect(driver.keysOf('apply')).toEqual([preJob().key]);
    expect(driver.keysOf('remove')).toEqual([]);
    expect(driver.liveSpec('web', web().key)).toEqual({ command: ['v1'] });
    expect(driver.liveKeys('web')).toContain(old.key);
    const text = result.messages.join('\n');
    expect(text).toContain('PreSync Job migrate failed');
    expect(text).toContain('npm ERR! missing script: migrate');
    expect(text).toContain('nothing else was changed');
    expect(result.applied.map((change) => change.name)).toEqual(['migrate']);
    // The app's health is still reported: the old process runs on, the new File never came.
    expect(result.resources.find((resource) => resource.name === 'web')?.health.status).toBe('Healthy');
    expect(result.health).toMatchObject({ status: 'Missing', message: expect.stringContaining('File conf') });
  });

  it('reads a HOOK_FAILED error thrown by the driver the same way, without retrying it', async () => {
    const driver = new FakeDriver().failApply(preJob().key, 5, () =>
      Object.assign(
        new WheelhouseError('HOOK_FAILED', 'job migrate exited with code 2', {
          details: { logTail: ['boom'] },
        }),
      ),
    );
    const { result } = await sync(driver, [preJob(), web()], { retries: 3 });
    expect(result.failure?.reason).toBe('HookFailed');
    expect(result.messages.join('\n')).toContain('boom');
    expect(driver.keysOf('apply')).toEqual([preJob().key]);
    expect(result.applied.map((change) => change.name)).toEqual(['migrate']);
  });

  it('reads the log tail from the driver when the hook result carries none', async () => {
    const driver = new FakeDriver()
      .hookResult(preJob().key, { succeeded: false, logTail: [] })
      .logLines(preJob().key, ['step 1 ok', 'Error: relation "users" does not exist']);
    const { result } = await sync(driver, [preJob(), web()]);
    expect(result.failure?.reason).toBe('HookFailed');
    expect(result.failure?.message).toContain('Error: relation "users" does not exist');
    expect(driver.keysOf('apply')).toEqual([preJob().key]);
  });

  it('a failing PostSync hook fails the sync after the resources were applied', async () => {
    const driver = new FakeDriver();
    driver.hookResult(postJob().key, { succeeded: false, logTail: ['smoke test failed'] });
    const { result } = await sync(driver, [web(), postJob()]);
    expect(result.result).toBe('failed');
    expect(result.outcome.kind).toBe('stalled');
    expect(driver.keysOf('apply')).toEqual([web().key, postJob().key]);
    expect(result.messages.join('\n')).toContain('smoke test failed');
  });

  it('redacts secrets from hook log tails and messages', async () => {
    const driver = new FakeDriver();
    driver.hookResult(preJob().key, {
      succeeded: false,
      logTail: ['connecting with password hunter2-secret'],
    });
    const { result, progress } = await sync(driver, [preJob()], {
      redact: createRedactor({ values: ['hunter2-secret'] }),
    });
    const all = [
      ...result.messages,
      result.failure?.message ?? '',
      ...progress.map((event) => event.message),
    ];
    expect(all.join('\n')).not.toContain('hunter2-secret');
    expect(result.messages.join('\n')).toContain('password ***');
  });
});

describe('runPlan: retries', () => {
  it('retries a failed apply with backoff, then succeeds', async () => {
    const driver = new FakeDriver().failApply(web().key, 2);
    const { result, progress } = await sync(driver, [web()], { retries: 3 });
    expect(result.result).toBe('succeeded');
    expect(driver.keysOf('apply')).toEqual([web().key, web().key, web().key]);
    expect(result.messages.filter((message) => message.includes('retrying'))).toHaveLength(2);
    expect(progress.some((event) => event.message.includes('attempt 1 of 4'))).toBe(true);
    expect(result.applied.map((change) => change.name)).toEqual(['web']);
  });

  it('gives up after the retries and requeues; later waves are not touched', async () => {
    const driver = new FakeDriver().failApply(conf().key, 10);
    const late = web(undefined, 1);
    const { result } = await sync(driver, [conf(), late], { retries: 1, attempt: 2 });
    expect(result.result).toBe('failed');
    expect(result.outcome.kind).toBe('requeue');
    expect(result.outcome.kind === 'requeue' && result.outcome.afterMs).toBeGreaterThanOrEqual(0);
    expect(result.failure).toMatchObject({
      reason: 'ApplyFailed',
      resource: conf().key,
      code: 'DRIVER_FAILED',
    });
    expect(result.failure?.message).toContain('attempt 2 of 2');
    expect(driver.keysOf('apply')).toEqual([conf().key, conf().key]);
    expect(result.applied).toEqual([]);
  });

  it('does not retry a refused spec: the sync stalls', async () => {
    const driver = new FakeDriver().failApply(
      conf().key,
      10,
      () => new WheelhouseError('INPUT_REFUSED', 'File path ../../etc/passwd escapes the root'),
    );
    const { result } = await sync(driver, [conf()], { retries: 5 });
    expect(result.outcome).toEqual({ kind: 'stalled', reason: 'InvalidSpec' });
    expect(result.failure?.message).toContain('escapes the root');
    expect(driver.keysOf('apply')).toEqual([conf().key]);
  });

  it('does not retry a forbidden apply within the sync, but requeues it for when the grant lands', async () => {
    const driver = new FakeDriver().failApply(
      conf().key,
      10,
      () => new WheelhouseError('FORBIDDEN', 'configmaps "conf" is forbidden: User "wh" cannot patch'),
    );
    const { result } = await sync(driver, [conf()], { retries: 5 });
    expect(result.outcome.kind).toBe('requeue');
    expect(result.failure).toMatchObject({ reason: 'ApplyFailed', code: 'FORBIDDEN', resource: conf().key });
    expect(result.failure?.message).toContain('was refused: configmaps "conf" is forbidden');
    expect(driver.keysOf('apply')).toEqual([conf().key]);
  });

  it('retries a failed prune too', async () => {
    const old = desired('Process', 'old');
    const driver = new FakeDriver().seed(web()).seed(old).failRemove(old.key, 1);
    const { result } = await sync(driver, [web()], { retries: 1 });
    expect(result.result).toBe('succeeded');
    expect(driver.keysOf('remove')).toEqual([old.key, old.key]);
    expect(driver.liveKeys('web')).toEqual([web().key]);
  });
});

describe('runPlan: health', () => {
  it('fails naming the resource when it is not healthy within the timeout', async () => {
    const driver = new FakeDriver().scriptHealth(web().key, {
      status: 'Progressing',
      message: 'replica 1/2 starting',
    });
    const { result } = await sync(driver, [conf(), web()], { timeoutMs: 30 });
    expect(result.result).toBe('failed');
    expect(result.outcome.kind).toBe('requeue');
    expect(result.failure).toMatchObject({
      reason: 'HealthTimeout',
      code: 'HEALTH_TIMEOUT',
      resource: web().key,
    });
    expect(result.failure?.message).toContain('Process web is Progressing (replica 1/2 starting)');
    expect(result.failure?.message).not.toContain('File conf');
    expect(result.health.status).toBe('Progressing');
  });

  it('fails when a resource stays Degraded, with its message', async () => {
    const driver = new FakeDriver().scriptHealth(
      web().key,
      { status: 'Progressing' },
      { status: 'Degraded', message: 'crash loop: Error: listen EADDRINUSE :::8080' },
    );
    const { result } = await sync(driver, [web()], { settlePolls: 2 });
    expect(result.result).toBe('failed');
    expect(result.failure).toMatchObject({ reason: 'Degraded', resource: web().key });
    expect(result.failure?.message).toContain(
      'Process web is Degraded: crash loop: Error: listen EADDRINUSE',
    );
    expect(result.health).toMatchObject({ status: 'Degraded' });
    expect(result.health.message).toContain('Process web');
  });

  it('lets a resource settle: a passing Degraded that turns Healthy is fine', async () => {
    const driver = new FakeDriver().scriptHealth(
      web().key,
      { status: 'Degraded', message: 'old replica exiting' },
      { status: 'Progressing' },
      { status: 'Healthy' },
    );
    const { result, progress } = await sync(driver, [web()], { settlePolls: 2 });
    expect(result.result).toBe('succeeded');
    expect(progress.filter((event) => event.step === 'health').map((event) => event.message)).toEqual([
      'Process web is Degraded (old replica exiting)',
      'Process web is Progressing',
      'Process web is Healthy',
    ]);
  });

  it('does not wait for a resource annotated wheelhouse/health: ignore', async () => {
    const sidecar = desired(
      'Process',
      'sidecar',
      { v: 1 },
      { annotations: { 'wheelhouse/health': 'ignore' } },
    );
    const driver = new FakeDriver().scriptHealth(sidecar.key, { status: 'Degraded', message: 'flaky' });
    const { result } = await sync(driver, [sidecar, web()], { timeoutMs: 30, settlePolls: 1 });
    expect(result.result).toBe('succeeded');
    expect(result.health.status).toBe('Healthy');
  });

  it('times out an apply that does not return, naming the resource', async () => {
    const driver = new FakeDriver().hangApply(web().key);
    const { result } = await sync(driver, [web()], { timeoutMs: 20 });
    expect(result.failure).toMatchObject({ reason: 'HealthTimeout', resource: web().key });
    expect(result.failure?.message).toContain('Process web did not finish within the sync timeout');
  });
});

describe('runPlan: refusals, cancellation, contexts', () => {
  it('stalls on an empty render instead of pruning everything', async () => {
    const driver = new FakeDriver().seed(web()).seed(conf());
    const { result } = await sync(driver, []);
    expect(result.result).toBe('failed');
    expect(result.outcome).toEqual({ kind: 'stalled', reason: 'EmptyRender' });
    expect(result.failure?.message).toContain('allowEmpty');
    expect(driver.keysOf('remove')).toEqual([]);
    expect(driver.liveKeys('web')).toHaveLength(2);
  });

  it('prunes everything for an empty render when allowEmpty is set', async () => {
    const driver = new FakeDriver().seed(web()).seed(conf());
    const { result } = await sync(driver, [], { allowEmpty: true });
    expect(result.result).toBe('succeeded');
    expect(driver.liveKeys('web')).toEqual([]);
    expect(result.health.status).toBe('Missing');
  });

  it('is cancelled by its signal and says so', async () => {
    const driver = new FakeDriver().hangApply(conf().key);
    const controller = new AbortController();
    const running = sync(driver, [conf(), web(undefined, 1)], {
      signal: controller.signal,
      onProgress: (step) => {
        // Once the hanging apply has started.
        if (step === 'apply') setImmediate(() => controller.abort());
      },
    });
    const { result } = await running;
    expect(result.result).toBe('cancelled');
    expect(result.failure?.reason).toBe('Cancelled');
    expect(driver.keysOf('apply')).toEqual([conf().key]);
  });

  it('builds a context per resource, with the runner’s signal and progress added', async () => {
    const driver = new FakeDriver();
    const seen: string[] = [];
    const baseProgress: string[] = [];
    const { result } = await sync(driver, [web(), conf()], {
      context: (resource) => {
        seen.push(resource.key);
        return {
          app: resource.app,
          revision: 'rev-2',
          digest: DIGEST,
          checkout: async () => '/nonexistent',
          log: silentLogger,
          progress: (message) => baseProgress.push(message),
        };
      },
    });
    expect(result.result).toBe('succeeded');
    expect(seen).toEqual([conf().key, web().key]);
    expect(baseProgress).toEqual(['applied File conf', 'applied Process web']);
  });

  it('never throws when the driver misbehaves in unexpected ways', async () => {
    const driver = new FakeDriver().failApply(
      web().key,
      10,
      () => new TypeError('cannot read properties of undefined'),
    );
    const { result } = await sync(driver, [web()], { retries: 0 });
    expect(result.result).toBe('failed');
    expect(result.failure?.message).toContain('cannot read properties of undefined');
  });
});
