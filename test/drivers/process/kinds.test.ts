import { describe, expect, it } from 'vitest';
import { WheelhouseError } from '../../../src/core/index.js';
import { driverFactories } from '../../../src/drivers/index.js';
import { createProcessDriver, processDriverKinds } from '../../../src/drivers/process/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { capturingLogger, REPLICA } from './support.js';

const kind = (name: string) => {
  const found = processDriverKinds.find((k) => k.kind === name);
  if (!found) throw new Error(`no kind ${name}`);
  return found;
};

describe('process driver kinds', () => {
  it('is registered and serves Process, Job and File, ordered File < Job < Process', () => {
    expect(driverFactories.process).toBe(createProcessDriver);
    const registry = createKindRegistry();
    expect(registry.kindsFor('process').map((k) => k.kind)).toEqual(['File', 'Job', 'Process']);
    expect(registry.driversServing('Job')).toContain('process');
    expect(kind('File').order).toBeLessThan(kind('Job').order);
    expect(kind('Job').order).toBeLessThan(kind('Process').order);
  });

  it('fills Process defaults', () => {
    const result = kind('Process').parse({ command: ['node', 'server.js'] });
    expect(result).toEqual({
      ok: true,
      value: {
        command: ['node', 'server.js'],
        cwd: '.',
        env: {},
        secretEnv: {},
        replicas: 1,
        restart: 'always',
        stopSignal: 'SIGTERM',
        stopTimeoutSeconds: 10,
      },
    });
  });

  it('fills health-check defaults and normalizes cwd', () => {
    const result = kind('Process').parse({
      command: ['node'],
      cwd: './services//web/',
      health: { tcp: { port: `80${REPLICA}` } },
    });
    expect(result.ok && result.value.cwd).toBe('services/web');
    expect(result.ok && result.value.health).toEqual({
      tcp: { host: '127.0.0.1', port: `80${REPLICA}` },
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: 3,
      startupSeconds: 60,
    });
  });

  it('reports every problem with its path inside spec', () => {
    const result = kind('Process').parse({
      command: [],
      cwd: '../outside',
      env: { PORT: 8080, 'bad-name': 'x' },
      secretEnv: { PORT: { fromEnv: 'WEB_PORT' } },
      replicas: -1,
      restart: 'sometimes',
      health: { http: { url: 'ftp://x' }, tcp: { port: 1 } },
      comand: ['typo'],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'command',
        'cwd',
        'env.PORT',
        'env.bad-name',
        'replicas',
        'restart',
        'health.http.url',
        'health',
        'comand',
      ]),
    );
    const byPath = new Map(result.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath.get('comand')).toMatch(/unknown field "comand"/);
    expect(byPath.get('env.PORT')).toMatch(/quote numbers/);
    expect(byPath.get('restart')).toMatch(/always, on-failure, never/);
    expect(byPath.get('health')).toMatch(/only one check/);
  });

  it('refuses a name set in both env and secretEnv', () => {
    const result = kind('Process').parse({
      command: ['x'],
      env: { TOKEN: 'a' },
      secretEnv: { TOKEN: { fromEnv: 'T' } },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]).toMatchObject({ path: ['secretEnv', 'TOKEN'] });
  });

  it('makes Jobs hooks, PreSync by default', () => {
    const job = kind('Job');
    const pre = job.parse({ command: ['npm', 'ci'] });
    expect(pre.ok && pre.value).toMatchObject({ phase: 'PreSync', timeoutSeconds: 600, cwd: '.' });
    expect(pre.ok && job.hook?.(pre.value)).toBe('PreSync');
    const post = job.parse({ command: ['x'], phase: 'PostSync' });
    expect(post.ok && job.hook?.(post.value)).toBe('PostSync');
    expect(job.parse({ command: ['x'], phase: 'Later' }).ok).toBe(false);
    expect(kind('Process').hook).toBeUndefined();
  });

  it('validates File paths and modes', () => {
    const file = kind('File');
    expect(file.parse({ path: 'conf/app.toml', content: 'a' })).toEqual({
      ok: true,
      value: { path: 'conf/app.toml', content: 'a', mode: '0644' },
    });
    expect(file.parse({ path: 'x', content: '', mode: '600' })).toMatchObject({
      ok: true,
      value: { mode: '0600' },
    });
    for (const path of ['../etc/passwd', '/etc/passwd', 'a/../../b', '.']) {
      const result = file.parse({ path, content: 'x' });
      expect(result.ok, path).toBe(false);
      expect(!result.ok && result.issues[0]?.path).toEqual(['path']);
    }
    const numeric = file.parse({ path: 'x', content: 'x', mode: 644 });
    expect(!numeric.ok && numeric.issues[0]?.message).toMatch(/quoted octal string/);
    expect(file.parse({ path: 'x', content: 'x', mode: '0999' }).ok).toBe(false);
  });

  it('validates target options with a message naming the target', () => {
    const make = (options: Record<string, unknown>) =>
      createProcessDriver({
        target: 'box',
        options,
        stateDir: '/tmp/x',
        log: capturingLogger().log,
        env: {},
      });
    expect(make({ logMaxFiles: 2 }).name).toBe('process');
    try {
      make({ logMaxFile: 2 });
      expect.unreachable('an unknown option must be refused');
    } catch (err) {
      expect(err).toBeInstanceOf(WheelhouseError);
      expect((err as WheelhouseError).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toMatch(/target box .*logMaxFile.*targets\.box/);
    }
  });
});
