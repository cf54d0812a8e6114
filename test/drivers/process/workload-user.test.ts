import { readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWheelhouseError } from '../../../src/core/index.js';
import {
  createCachedLookup,
  lookupUser,
  PASSWD_RECHECK_MS,
  WorkloadUsers,
} from '../../../src/drivers/process/workload-user.js';
import { freePort } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { applyContext, capturingLogger, desired, getJson, processDrivers, replicasOf } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();
const root = process.getuid?.() === 0;

/** Answers with its uid and whether it could read the file in SECRET_FILE. */
const WHOAMI = `const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
createServer((req, res) => {
  let secret;
  try { secret = readFileSync(process.env.SECRET_FILE, 'utf8'); } catch (err) { secret = err.code; }
  res.end(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), secret, home: process.env.HOME }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

/** `Uid:` of /proc/<pid>/status: real, effective, saved, filesystem. */
function uidsOf(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return (line ?? '').split(/\s+/).slice(1).filter(Boolean).map(Number);
}

async function whoamiCheckout(): Promise<{ checkout: string; secretFile: string }> {
  const checkout = await tmp('checkout');
  await writeFile(join(checkout, 'whoami.cjs'), WHOAMI);
  // A file only Wheelhouse's user may read, as the admin token is (mode 0600).
  const secretFile = join(await tmp('data'), 'admin-token');
  await writeFile(secretFile, 'wha_the-admin-token\n', { mode: 0o600 });
  return { checkout, secretFile };
}

describe.skipIf(!root)('workload user (issue 12 item 1: a workload read <data>/admin-token)', () => {
  it('runs a Process as nobody when Wheelhouse is root: another uid, no groups, the admin token unreadable', async () => {
    const { checkout, secretFile } = await whoamiCheckout();
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const port = await freePort();
    const spy = desired('Process', 'spy', {
      command: [process.execPath, 'whoami.cjs'],
      env: { PORT: String(port), SECRET_FILE: secretFile },
      health: { http: { url: `http://127.0.0.1:${port}/` } },
    });
    await driver.apply(spy, applyContext(checkout).ctx);

    const [replica] = await replicasOf(driver, spy.key);
    expect(replica?.pid).toBeGreaterThan(0);
    expect(uidsOf(replica?.pid ?? 0)).toEqual([65534, 65534, 65534, 65534]);
    const seen = await getJson(`http://127.0.0.1:${port}/`);
    expect(seen).toMatchObject({ uid: 65534, gid: 65534, secret: 'EACCES', home: '/nonexistent' });
    expect(seen.groups).not.toContain(0);
  });

  it('runs a Process as its own user when the target allows it, and refuses one it does not', async () => {
    const { checkout, secretFile } = await whoamiCheckout();
    const driver = makeDriver({ stateDir: await tmp('state'), options: { allowedUsers: ['daemon'] } });
    await driver.start();
    const port = await freePort();
    const spec = {
      command: [process.execPath, 'whoami.cjs'],
      env: { PORT: String(port), SECRET_FILE: secretFile },
      health: { http: { url: `http://127.0.0.1:${port}/` } },
    };
    await driver.apply(
      desired('Process', 'as-daemon', { ...spec, user: 'daemon' }),
      applyContext(checkout).ctx,
    );
    expect(await getJson(`http://127.0.0.1:${port}/`)).toMatchObject({ uid: 1, gid: 1, secret: 'EACCES' });

    // Anyone who can change a manifest could otherwise pick root.
    const err = await driver
      .apply(desired('Process', 'as-root', { ...spec, user: 'root' }), applyContext(checkout).ctx)
      .catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect((err as Error).message).toContain(
      'asks to run as root (spec.user, uid 0), which target local does not allow',
    );
    expect((err as Error).message).toContain('targets.local.allowedUsers');
  });

  it('gives Files to the workload user, so a 0600 File is readable by its workload and by nobody else', async () => {
    const { checkout } = await whoamiCheckout();
    const stateDir = await tmp('state');
    const driver = makeDriver({ stateDir });
    await driver.start();
    const conf = desired('File', 'conf', { path: 'app/secret.conf', content: 'key = 1\n', mode: '0600' });
    await driver.apply(conf, applyContext(checkout).ctx);
    const path = join(stateDir, 'files', 'app', 'secret.conf');
    expect(statSync(path)).toMatchObject({ uid: 65534, gid: 65534 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const port = await freePort();
    await driver.apply(
      desired('Process', 'reader', {
        command: [process.execPath, 'whoami.cjs'],
        env: { PORT: String(port), SECRET_FILE: path },
        health: { http: { url: `http://127.0.0.1:${port}/` } },
      }),
      applyContext(checkout).ctx,
    );
    expect(await getJson(`http://127.0.0.1:${port}/`)).toMatchObject({ uid: 65534, secret: 'key = 1\n' });
  });

  it('runs exec health checks as the workload user too', async () => {
    const { checkout, secretFile } = await whoamiCheckout();
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const reads = desired('Process', 'check-reads-secret', {
      command: [process.execPath, '-e', 'setInterval(() => {}, 60000)'],
      env: { SECRET_FILE: secretFile },
      health: {
        exec: {
          command: [
            process.execPath,
            '-e',
            'try { require("node:fs").readFileSync(process.env.SECRET_FILE) } catch (e) { console.error(e.code); process.exit(3) }',
          ],
        },
        startupSeconds: 1,
      },
    });
    const err = await driver.apply(reads, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/did not become healthy: .*exited with code 3: EACCES/);
  });
});

describe('workload environment (issue 12 item 1)', () => {
  it("refuses a secretEnv that reads one of Wheelhouse's own secrets", async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({
      stateDir: await tmp('state'),
      env: {
        PATH: process.env.PATH,
        WHEELHOUSE_TOKEN: 'wht_x',
        SLACK_BOT_TOKEN: 'xoxb-x',
        DB_PASSWORD: 'pw',
      },
    });
    await driver.start();
    for (const fromEnv of ['WHEELHOUSE_TOKEN', 'wheelhouse_store']) {
      const spec = { command: ['true'], secretEnv: { STOLEN: { fromEnv } } };
      const err = await driver
        .apply(desired('Process', 'thief', spec), applyContext(checkout).ctx)
        .catch((e) => e);
      expect(isWheelhouseError(err, 'INPUT_REFUSED'), fromEnv).toBe(true);
      expect((err as Error).message).toContain(
        `secretEnv.STOLEN reads ${fromEnv}, which holds one of Wheelhouse's own secrets`,
      );
    }
  });

  it('refuses a secretEnv naming a variable wheelhouse.yaml uses for a chat token (reservedEnv)', async () => {
    const { createProcessDriver } = await import('../../../src/drivers/process/index.js');
    const driver = createProcessDriver({
      target: 'local',
      options: {},
      stateDir: await tmp('state'),
      log: capturingLogger().log,
      env: { SLACK_BOT_TOKEN: 'xoxb-x' },
      reservedEnv: () => ['SLACK_BOT_TOKEN'],
    });
    await driver.start();
    try {
      const spec = { command: ['true'], secretEnv: { T: { fromEnv: 'SLACK_BOT_TOKEN' } } };
      const err = await driver
        .apply(desired('Process', 'thief', spec), applyContext(await tmp('checkout')).ctx)
        .catch((e) => e);
      expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    } finally {
      await driver.stop();
    }
  });
});

describe('who workloads run as', () => {
  const passwd =
    'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\napp:x:1001:1002::/srv/app:/bin/sh\n';
  const lookup = (spec: string) => lookupUser(spec, passwd);

  it('reads names, uids and uid:gid', () => {
    expect(lookup('app')).toEqual({ name: 'app', uid: 1001, gid: 1002, home: '/srv/app' });
    expect(lookup('1001')).toEqual({ name: '1001', uid: 1001, gid: 1002, home: '/srv/app' });
    expect(lookup('4000:4001')).toEqual({ name: '4000:4001', uid: 4000, gid: 4001, home: '/' });
    expect(lookup('ghost')).toBeUndefined();
  });

  it('reads the passwd file again once it changed, checking it at most once a second', async () => {
    const file = join(await tmp('passwd'), 'passwd');
    await writeFile(file, passwd);
    let clock = 0;
    const cached = createCachedLookup(file, () => clock);
    expect(cached('app')).toMatchObject({ uid: 1001, gid: 1002 });
    await writeFile(file, `${passwd.replace('1001:1002', '1001:1003')}web:x:1005:1005::/srv/web:/bin/sh\n`);
    // Within the second the file is not looked at again: what was read stands.
    expect(cached('app')).toMatchObject({ uid: 1001, gid: 1002 });
    clock += PASSWD_RECHECK_MS;
    expect(cached('app')).toMatchObject({ uid: 1001, gid: 1003 });
    expect(cached('web')).toEqual({ name: 'web', uid: 1005, gid: 1005, home: '/srv/web' });
    await writeFile(file, passwd);
    clock += PASSWD_RECHECK_MS;
    expect(cached('web')).toBeUndefined();
  });

  it('warns at start when Wheelhouse is not root, and refuses a user it cannot switch to', () => {
    const { log, lines } = capturingLogger();
    const users = new WorkloadUsers({
      target: 'local',
      user: undefined,
      allowedUsers: [],
      engineUid: 1000,
      log,
      lookup,
    });
    users.check();
    expect(users.separated).toBe(false);
    expect(lines.join('\n')).toMatch(
      /warn target local: Wheelhouse does not run as root \(uid 1000\), so workloads run as its own user/,
    );
    const pinned = new WorkloadUsers({
      target: 'local',
      user: 'app',
      allowedUsers: [],
      engineUid: 1000,
      log,
      lookup,
    });
    expect(() => pinned.check()).toThrow(
      /targets.local.user is app, but Wheelhouse runs as uid 1000, not root/,
    );
  });

  it('as root: nobody by default, a missing user fails at start naming the field, root is a loud choice', () => {
    const { log, lines } = capturingLogger();
    const users = new WorkloadUsers({
      target: 'local',
      user: undefined,
      allowedUsers: [],
      engineUid: 0,
      log,
      lookup,
    });
    users.check();
    expect(users.separated).toBe(true);
    expect(users.forSpec(undefined, { app: 'a', resource: 'r' })).toMatchObject({ uid: 65534 });
    const ghost = new WorkloadUsers({
      target: 'local',
      user: 'ghost',
      allowedUsers: [],
      engineUid: 0,
      log,
      lookup,
    });
    expect(() => ghost.check()).toThrow(/targets.local.user: there is no user ghost in \/etc\/passwd/);
    new WorkloadUsers({ target: 'local', user: 'root', allowedUsers: [], engineUid: 0, log, lookup }).check();
    expect(lines.join('\n')).toMatch(/warn target local: workloads run as root/);
  });
});
