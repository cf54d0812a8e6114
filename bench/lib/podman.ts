import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, createReadStream, existsSync, openSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { freePort } from '../../test/support/ports.js';

const run = promisify(execFile);

// A private Podman engine for tests and benchmarks (no vitest here: `npm run bench` uses it too).

/**
 * A private Podman engine serving the Docker Engine API on a unix socket under a temp dir: its own
 * containers.conf (the sandbox settings from ENVIRONMENT.md), storage, network config and volumes,
 * so nothing in /etc or /var/lib is read or written. Tests run containers from a busybox image
 * built locally (no registry is reachable), with host networking or ports on 127.0.0.1 only.
 */
export interface PodmanHost {
  /** `unix:///.../podman.sock`: the `host` option of a docker target. */
  host: string;
  socketPath: string;
  /** A client for arranging and checking state behind the driver's back. */
  docker: Docker;
  /** The local busybox image (`wh-test/busybox:latest`): `sh`, `httpd`, `wget`, `sleep`, ... */
  image: string;
  /** Everything the engine runs as root uses this dir for test files (bind mounts). */
  dir: string;
  /** Remove every container, network and volume (between tests). */
  reset(): Promise<void>;
  /**
   * Build another busybox image with extra files (a different image id) and tag it `repoTag`;
   * returns its image id.
   */
  importImage(repoTag: string, extraFiles?: Record<string, string>): Promise<string>;
  /** Global arguments and environment for running the `podman` CLI on this same engine (benchmarks). */
  cli: { args: string[]; env: Record<string, string> };
  /** Stop and start the API service (containers keep running, as with a daemon restart). */
  restartEngine(): Promise<void>;
  /** `127.0.0.1:PORT` of a local registry (docker-registry) when started with `{ registry: true }`. */
  registry?: string;
}

export interface PodmanOptions {
  /** Also run a local registry (Debian package docker-registry) that this Podman trusts over HTTP. */
  registry?: boolean;
}

export const TEST_IMAGE = 'wh-test/busybox:latest';

const LOCK_DIR = join(tmpdir(), 'wheelhouse-podman.lock');

/** Whether an executable is on PATH (or in /usr/sbin, /sbin). */
export function onPath(binary: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .concat(['/usr/sbin', '/sbin'])
    .some((dir) => {
      try {
        accessSync(join(dir, binary), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export async function startPodman(
  options: PodmanOptions = {},
): Promise<{ host: PodmanHost; stop(): Promise<void> }> {
  await acquireLock();
  const dir = await mkdtemp(join(tmpdir(), 'wh-podman-'));
  let service: ChildProcess | undefined;
  let registry: { address: string; process: ChildProcess } | undefined;
  const stop = async () => {
    try {
      if (service) {
        const docker = new Docker({ socketPath: join(dir, 'podman.sock') });
        await removeEverything(docker).catch(() => undefined);
        await stopService(service);
      }
      if (registry) await stopService(registry.process);
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
      await releaseLock();
    }
  };
  try {
    const paths = {
      root: join(dir, 'root'),
      runroot: join(dir, 'runroot'),
      tmp: join(dir, 'tmp'),
      networks: join(dir, 'networks'),
      volumes: join(dir, 'volumes'),
      files: join(dir, 'files'),
    };
    for (const p of Object.values(paths)) await mkdir(p, { recursive: true });
    const conf = join(dir, 'containers.conf');
    await writeFile(
      conf,
      [
        '[containers]',
        'default_ulimits = ["nofile=1024:1024","nproc=1024:1024"]',
        '[engine]',
        'runtime = "runc"',
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        '',
      ].join('\n'),
    );
    const storageConf = join(dir, 'storage.conf');
    await writeFile(
      storageConf,
      `[storage]\ndriver = "vfs"\ngraphroot = "${paths.root}"\nrunroot = "${paths.runroot}"\n`,
    );
    if (options.registry) registry = await startRegistry(dir);
    const registriesConf = join(dir, 'registries.conf');
    await writeFile(
      registriesConf,
      registry ? `[[registry]]\nlocation = "${registry.address}"\ninsecure = true\n` : '',
    );
    const socketPath = join(dir, 'podman.sock');
    const globalArgs = [
      '--root',
      paths.root,
      '--runroot',
      paths.runroot,
      '--tmpdir',
      paths.tmp,
      '--network-config-dir',
      paths.networks,
      '--volumepath',
      paths.volumes,
      '--storage-driver',
      'vfs',
      '--cgroup-manager',
      'cgroupfs',
      '--runtime',
      'runc',
      '--events-backend',
      'file',
    ];
    const docker = new Docker({ socketPath });
    const serve = async (): Promise<ChildProcess> => {
      const logFd = openSync(join(dir, 'service.log'), 'a');
      const child = spawn(
        'podman',
        [...globalArgs, 'system', 'service', '--time=0', `unix://${socketPath}`],
        {
          env: {
            ...process.env,
            CONTAINERS_CONF: conf,
            CONTAINERS_STORAGE_CONF: storageConf,
            CONTAINERS_REGISTRIES_CONF: registriesConf,
          },
          stdio: ['ignore', logFd, logFd],
        },
      );
      closeSync(logFd);
      await waitFor(async () => {
        if (child.exitCode !== null) {
          const log = await readFile(join(dir, 'service.log'), 'utf8').catch(() => '');
          throw new Error(`podman system service exited (${child.exitCode}): ${log.slice(-2000)}`);
        }
        return (
          existsSync(socketPath) &&
          (await docker
            .ping()
            .then(() => true)
            .catch(() => false))
        );
      }, 60_000);
      return child;
    };
    service = await serve();
    await buildBusyboxImage(docker, dir, TEST_IMAGE);
    let imports = 0;
    const host: PodmanHost = {
      host: `unix://${socketPath}`,
      socketPath,
      docker,
      image: TEST_IMAGE,
      dir: paths.files,
      reset: () => removeEverything(docker),
      cli: {
        args: globalArgs,
        env: {
          CONTAINERS_CONF: conf,
          CONTAINERS_STORAGE_CONF: storageConf,
          CONTAINERS_REGISTRIES_CONF: registriesConf,
        },
      },
      restartEngine: async () => {
        if (service) await stopService(service);
        service = await serve();
      },
      importImage: async (repoTag, extraFiles = {}) => {
        imports += 1;
        await buildBusyboxImage(docker, join(dir, `import-${imports}`), repoTag, extraFiles);
        return (await docker.getImage(repoTag).inspect()).Id;
      },
    };
    if (registry) host.registry = registry.address;
    return { host, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A rootfs holding the static busybox with every applet linked (plus `extraFiles`), imported as `repoTag`. */
async function buildBusyboxImage(
  docker: Docker,
  dir: string,
  repoTag: string,
  extraFiles: Record<string, string> = {},
): Promise<void> {
  const rootfs = join(dir, 'rootfs');
  for (const sub of ['bin', 'etc', 'tmp', 'var/www', 'data'])
    await mkdir(join(rootfs, sub), { recursive: true });
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p)) ?? 'busybox';
  await copyFile(busybox, join(rootfs, 'bin', 'busybox'));
  const { stdout } = await run(busybox, ['--list']);
  for (const applet of stdout.split('\n').map((s) => s.trim())) {
    if (applet && applet !== 'busybox')
      await symlink('busybox', join(rootfs, 'bin', applet)).catch(() => undefined);
  }
  await writeFile(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  );
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  await writeFile(join(rootfs, 'var', 'www', 'index.html'), 'ok\n');
  for (const [path, content] of Object.entries(extraFiles)) {
    await mkdir(dirname(join(rootfs, path)), { recursive: true });
    await writeFile(join(rootfs, path), content);
  }
  const tarball = join(dir, 'rootfs.tar');
  await run('tar', ['-C', rootfs, '-cf', tarball, '.']);
  const colon = repoTag.lastIndexOf(':');
  const slash = repoTag.lastIndexOf('/');
  const [repo, tag] =
    colon > slash ? [repoTag.slice(0, colon), repoTag.slice(colon + 1)] : [repoTag, 'latest'];
  // Podman's import ignores the tag parameter: import, then tag the new image id.
  const stream = await docker.importImage(createReadStream(tarball), { repo, tag });
  const events: { id?: string; status?: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : resolve()),
      (event: { id?: string; status?: string }) => events.push(event),
    );
  });
  const id = events.map((e) => e.id ?? e.status ?? '').find((text) => /^sha256:[0-9a-f]{64}$/.test(text));
  if (!id)
    throw new Error(`podman import did not report an image id: ${JSON.stringify(events).slice(0, 500)}`);
  await docker.getImage(id).tag({ repo, tag });
  await rm(rootfs, { recursive: true, force: true });
}

/** The CNCF distribution registry (Debian docker-registry) on 127.0.0.1, storing under `dir`. */
async function startRegistry(dir: string): Promise<{ address: string; process: ChildProcess }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'registry')}`,
      'http:',
      `  addr: ${address}`,
      '',
    ].join('\n'),
  );
  const logFd = openSync(join(dir, 'registry.log'), 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  await waitFor(async () => {
    if (child.exitCode !== null) {
      const log = await readFile(join(dir, 'registry.log'), 'utf8').catch(() => '');
      throw new Error(`docker-registry exited (${child.exitCode}): ${log.slice(-2000)}`);
    }
    return fetch(`http://${address}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
  }, 30_000);
  return { address, process: child };
}

async function removeEverything(docker: Docker): Promise<void> {
  const containers = await docker.listContainers({ all: true });
  // Kill first: a busybox PID 1 ignores SIGTERM, and a graceful stop would wait out its timeout.
  await Promise.all(
    containers.map(async (c) => {
      const container = docker.getContainer(c.Id);
      await container.kill().catch(() => undefined);
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }),
  );
  const networks = await docker.listNetworks();
  for (const n of networks) {
    if (n.Name === 'podman' || n.Name === 'bridge' || n.Name === 'host' || n.Name === 'none') continue;
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  }
  const volumes = await docker.listVolumes();
  for (const v of volumes.Volumes ?? []) {
    await docker
      .getVolume(v.Name)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

async function stopService(service: ChildProcess): Promise<void> {
  if (service.exitCode !== null || service.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => service.once('exit', () => resolve()));
  service.kill('SIGTERM');
  const timer = setTimeout(() => service.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting to start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// --- one Podman test file at a time --------------------------------------------------------

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      await writeFile(join(LOCK_DIR, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(await readFile(join(LOCK_DIR, 'pid'), 'utf8').catch(() => ''));
    if (holder && !alive(holder)) {
      await rm(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (!holder) {
      // Being created right now, or left without a pid by a crash: look again shortly.
      await new Promise((r) => setTimeout(r, 500));
      const again = await readFile(join(LOCK_DIR, 'pid'), 'utf8').catch(() => '');
      if (!again) await rm(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function releaseLock(): Promise<void> {
  const holder = await readFile(join(LOCK_DIR, 'pid'), 'utf8').catch(() => '');
  if (holder === String(process.pid)) await rm(LOCK_DIR, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
