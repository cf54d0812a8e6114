import { describe, expect, it } from 'vitest';
import { isWheelhouseError, silentLogger } from '../../../src/core/index.js';
import { createDockerDriver, parseDockerOptions } from '../../../src/drivers/docker/index.js';

function problem(options: Record<string, unknown>, env: Record<string, string> = {}): string {
  try {
    parseDockerOptions('box', options, env);
  } catch (err) {
    expect(isWheelhouseError(err, 'CONFIG_INVALID')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected the options to be refused');
}

describe('docker target options', () => {
  it('defaults to DOCKER_HOST, else the Docker socket', () => {
    expect(parseDockerOptions('box', {}, {}).endpoint).toEqual({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
    });
    expect(parseDockerOptions('box', {}, { DOCKER_HOST: 'unix:///run/podman/podman.sock' }).endpoint).toEqual(
      {
        kind: 'unix',
        socketPath: '/run/podman/podman.sock',
      },
    );
  });

  it('accepts tcp hosts with TLS files', () => {
    const tls = { caFile: '/etc/wh/ca.pem', certFile: '/etc/wh/cert.pem', keyFile: '/etc/wh/key.pem' };
    expect(parseDockerOptions('box', { host: 'tcp://10.0.0.5', tls }, {}).endpoint).toEqual({
      kind: 'tcp',
      host: '10.0.0.5',
      port: 2376,
      tls,
    });
    expect(parseDockerOptions('box', { host: 'tcp://[::1]:2375' }, {}).endpoint).toEqual({
      kind: 'tcp',
      host: '::1',
      port: 2375,
      tls: undefined,
    });
  });

  it('refuses bad options with the field and how to fix it', () => {
    expect(problem({ host: 'ssh://box' })).toMatch(
      /targets\.box\.host: "ssh:\/\/box" is not supported; use unix:\/\//,
    );
    expect(problem({ host: 'unix://relative.sock' })).toMatch(/needs an absolute socket path/);
    expect(problem({ host: 'tcp://box:2376/path' })).toMatch(/must be tcp:\/\/HOST:PORT/);
    expect(problem({ host: 'unix:///x.sock', tls: { caFile: 'a', certFile: 'b', keyFile: 'c' } })).toMatch(
      /targets\.box\.tls: TLS applies to tcp:\/\/ hosts only/,
    );
    expect(problem({ host: 'tcp://h:1', tls: { caFile: 'a' } })).toMatch(/targets\.box\.tls\.certFile/);
    expect(problem({ hots: 'x' })).toMatch(/targets\.box: Unrecognized key: "hots"/);
    expect(problem({ healthchecks: 'sometimes' })).toMatch(/targets\.box\.healthchecks/);
  });

  it('the factory validates without I/O and refuses bad options', () => {
    const deps = { target: 'box', stateDir: '', log: silentLogger, env: {} };
    expect(createDockerDriver({ ...deps, options: {} }).name).toBe('docker');
    expect(() => createDockerDriver({ ...deps, options: { host: 'ftp://x' } })).toThrow(
      /docker target "box"/,
    );
  });

  it('is unavailable with a clear message when the engine cannot be reached', async () => {
    const driver = createDockerDriver({
      target: 'box',
      options: { host: 'unix:///nonexistent/docker.sock' },
      stateDir: '',
      log: silentLogger,
      env: {},
    });
    await driver.start();
    try {
      await expect(driver.observe('shop')).rejects.toThrow(
        /docker target "box" cannot reach the engine at unix:\/\/\/nonexistent\/docker.sock.*check that Docker or Podman is running/,
      );
    } finally {
      await driver.stop();
    }
  });
});
