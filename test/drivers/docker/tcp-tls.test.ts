import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWheelhouseError } from '../../../src/core/index.js';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { applyContext, dockerDeps, dockerDesired } from '../../support/docker.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

const run = promisify(execFile);

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI. */
async function makeCertificates(dir: string, prefix: string): Promise<Record<string, string>> {
  const p = (name: string) => join(dir, `${prefix}-${name}`);
  const ssl = (...args: string[]) => run('openssl', args);
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${prefix} test CA`,
    '-keyout',
    p('ca-key.pem'),
    '-out',
    p('ca.pem'),
  );
  await writeFile(p('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await writeFile(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    await ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${who}`,
      '-keyout',
      p(`${who}-key.pem`),
      '-out',
      p(`${who}.csr`),
    );
    await ssl(
      'x509',
      '-req',
      '-in',
      p(`${who}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca-key.pem'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      p(`${who}.ext`),
      '-out',
      p(`${who}.pem`),
    );
  }
  return {
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server-key.pem'),
    clientCert: p('client.pem'),
    clientKey: p('client-key.pem'),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

describe.skipIf(podmanSkipReason !== undefined)('docker driver: tcp:// hosts, with and without TLS', () => {
  const podman = usePodman();
  const tmp = tempDirs();
  const sockets = new Set<Socket>();
  let tlsPort = 0;
  let plainPort = 0;
  let certs: Record<string, string> = {};
  let strangers: Record<string, string> = {};
  const servers: Server[] = [];

  /** Forward a client connection to the Podman socket (the engine speaks the same API over TCP). */
  const forward = (client: Socket) => {
    const upstream = connect(podman().socketPath);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  };

  beforeAll(async () => {
    const dir = await tmp('tls');
    certs = await makeCertificates(dir, 'good');
    strangers = await makeCertificates(dir, 'other');
    const tlsServer = createTlsServer(
      {
        key: await readFile(certs.serverKey ?? ''),
        cert: await readFile(certs.serverCert ?? ''),
        ca: await readFile(certs.ca ?? ''),
        requestCert: true,
        rejectUnauthorized: true,
      },
      forward,
    );
    tlsServer.on('tlsClientError', () => undefined);
    const plainServer = createServer(forward);
    servers.push(tlsServer, plainServer);
    tlsPort = await listen(tlsServer);
    plainPort = await listen(plainServer);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const worker = () =>
    dockerDesired('Container', 'worker', {
      image: podman().image,
      command: ['sleep', '3600'],
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
    });

  it('converges over TLS with client certificates', async () => {
    const driver = createDockerDriver(
      dockerDeps(podman(), {
        options: {
          host: `tcp://127.0.0.1:${tlsPort}`,
          tls: { caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey },
        },
      }),
    );
    await driver.start();
    try {
      await driver.apply(worker(), applyContext());
      await waitFor(
        'the container to count as healthy',
        async () => (await driver.health('shop', worker().key)).status === 'Healthy',
      );
      const live = await driver.observe('shop');
      expect(live.map((r) => [r.key, r.health.status])).toEqual([[worker().key, 'Healthy']]);
      await driver.remove(live[0] ?? expect.fail('nothing observed'), applyContext());
      expect(await driver.observe('shop')).toEqual([]);
    } finally {
      await driver.stop();
      await podman().reset();
    }
  });

  it('is unavailable, saying why, with a certificate the host does not trust', async () => {
    const driver = createDockerDriver(
      dockerDeps(podman(), {
        options: {
          host: `tcp://127.0.0.1:${tlsPort}`,
          tls: { caFile: certs.ca, certFile: strangers.clientCert, keyFile: strangers.clientKey },
        },
      }),
    );
    await driver.start();
    try {
      const error = await driver.observe('shop').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isWheelhouseError(error, 'UNAVAILABLE')).toBe(true);
      expect(String(error)).toMatch(
        new RegExp(`cannot reach the engine at tcp://127\\.0\\.0\\.1:${tlsPort}: .+`),
      );
    } finally {
      await driver.stop();
    }
  });

  it('names the TLS file it cannot read', async () => {
    const driver = createDockerDriver(
      dockerDeps(podman(), {
        options: {
          host: `tcp://127.0.0.1:${tlsPort}`,
          tls: { caFile: '/nonexistent/ca.pem', certFile: certs.clientCert, keyFile: certs.clientKey },
        },
      }),
    );
    await expect(driver.start()).rejects.toThrow(
      /docker target "box": cannot read tls\.caFile "\/nonexistent\/ca\.pem"/,
    );
  });

  it('converges over plain tcp://', async () => {
    const driver = createDockerDriver(
      dockerDeps(podman(), { options: { host: `tcp://127.0.0.1:${plainPort}` } }),
    );
    await driver.start();
    try {
      await driver.apply(worker(), applyContext());
      expect((await driver.observe('shop')).map((r) => r.key)).toEqual([worker().key]);
    } finally {
      await driver.stop();
      await podman().reset();
    }
  });
});
