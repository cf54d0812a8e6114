import { Option } from 'commander';
// biome-ignore lint/style/noRestrictedImports: every CLI call loads this file for --help; the config index would load zod schemas and renderers (cli-startup bench)
import { SERVER_DEFAULTS } from '../../config/defaults.js';
import { errorMessage, WheelhouseError } from '../../core/index.js';
// biome-ignore lint/style/noRestrictedImports: every CLI call loads this file for --help; the server index would load fastify (cli-startup bench)
import { parseTrustProxy } from '../../server/trust-proxy.js';
import type { RegisterCommand } from '../commands.js';
import type { LogFormat } from '../logger.js';
import { clientHint } from './client-hint.js';
import { type ControlVerifyFlags, controlVerifyFrom } from './control-verify.js';
import { dataDirFrom } from './data-dir.js';
import { DEFAULT_DEMO_PORT, parseDemoPort } from './demo-port.js';
import { parseLeaseSeconds } from './replica.js';
import { checkSopsAgeKeyFile } from './sops-key.js';

export const registerUp: RegisterCommand = (program) => {
  program
    .command('up')
    .description(
      'run Wheelhouse: follow the control repo and converge every app (the built-in demo when there is no wheelhouse.yaml)',
    )
    .option(
      '--repo <path|url>',
      'control repo holding wheelhouse.yaml (default: this directory if it has one, else the demo)',
    )
    .option(
      '--ref <ref>',
      "branch, tag, semver range or sha of the control repo to follow (default: the repo's default branch, what its HEAD names)",
    )
    .option(
      '--data <dir>',
      'data directory (state, logs, git mirrors)',
      process.env.WHEELHOUSE_DATA ?? '.wheelhouse',
    )
    .option('--port <n>', 'HTTP port of the API and dashboard', '7070')
    .option('--host <addr>', 'address the HTTP server listens on', '127.0.0.1')
    .option(
      '--demo-port <n>',
      `the built-in demo's web port, ending in 0: replica i listens on n + i (env WHEELHOUSE_DEMO_PORT, default ${DEFAULT_DEMO_PORT}) — for a second demo beside the first`,
    )
    .option(
      '--trust-proxy [hops|addresses]',
      'behind reverse proxies: trust X-Forwarded-* from the last N hops (bare flag: 1) or from these comma-separated proxy addresses/CIDRs; the client address is the rightmost X-Forwarded-For entry that is not a trusted proxy',
    )
    .option(
      '--log-streams-per-user <n>',
      `open log follow streams one user may hold (default ${SERVER_DEFAULTS.logStreamsPerUser})`,
    )
    .option(
      '--log-streams-total <n>',
      `open log follow streams of all users together (default ${SERVER_DEFAULTS.logStreamsTotal})`,
    )
    .option('--store <url>', 'sqlite:<file> (default, in the data dir) or postgres://user@host/db')
    .option(
      '--replica-id <id>',
      "with a postgres:// store: this replica's id among the replicas (default: one made on first start, kept in <data>/replica-id)",
      process.env.WHEELHOUSE_REPLICA_ID,
    )
    .option(
      '--lease-seconds <n>',
      "with a postgres:// store: how long an app's lease lasts unrenewed, i.e. the failover time (default 15)",
      process.env.WHEELHOUSE_LEASE_SECONDS,
    )
    .option(
      '--reset-store',
      'start with an empty store although the data dir holds state from an earlier run (the store was lost; audited)',
    )
    .option(
      '--public-url <url>',
      'the address people reach Wheelhouse at, for links in chat (default: the listen address)',
      process.env.WHEELHOUSE_PUBLIC_URL,
    )
    .option(
      '--sops-age-key-file <file>',
      'age key file sops decrypts SOPS-encrypted files in apps with (the key stays outside Git)',
      process.env.SOPS_AGE_KEY_FILE,
    )
    .option(
      '--control-gpg-keys <files>',
      'load only control repo commits signed by these armored GPG public keys (comma-separated files on this host)',
      process.env.WHEELHOUSE_CONTROL_GPG_KEYS,
    )
    .option(
      '--control-allowed-signers <file>',
      'load only control repo commits signed by an SSH key of this allowed-signers file (ssh-keygen -Y format)',
      process.env.WHEELHOUSE_CONTROL_ALLOWED_SIGNERS,
    )
    .option(
      '--control-verify-commits <which>',
      'with control keys: tip (the newest commit, default) or every (each commit since the last verified one)',
      process.env.WHEELHOUSE_CONTROL_VERIFY_COMMITS,
    )
    .addOption(
      new Option('--log-format <format>', 'pretty lines on a terminal, json for machines')
        .choices(['pretty', 'json'])
        .default(process.stderr.isTTY ? 'pretty' : 'json'),
    )
    .action(
      async (
        opts: {
          repo?: string;
          ref?: string;
          data: string;
          store?: string;
          replicaId?: string;
          leaseSeconds?: string;
          resetStore?: boolean;
          publicUrl?: string;
          trustProxy?: boolean | string;
          logStreamsPerUser?: string;
          logStreamsTotal?: string;
          logFormat: LogFormat;
          host: string;
          port: string;
          demoPort?: string;
          sopsAgeKeyFile?: string;
        } & ControlVerifyFlags,
      ) => {
        // Loaded here, not at start-up: only `up` needs the engine, the server and the drivers.
        const [{ createLogger }, { startWheelhouse }, { narrate }, { pushRefusal }] = await Promise.all([
          import('../logger.js'),
          import('./start.js'),
          import('./narrate.js'),
          import('./push-check.js'),
        ]);
        const log = createLogger({ format: opts.logFormat });
        let quiet = () => {};
        const dataDir = dataDirFrom(opts.data);
        const demoPort = parseDemoPort(
          opts.demoPort ?? process.env.WHEELHOUSE_DEMO_PORT,
          opts.demoPort !== undefined ? '--demo-port' : 'WHEELHOUSE_DEMO_PORT',
        );
        if (opts.sopsAgeKeyFile) {
          const from =
            process.env.SOPS_AGE_KEY_FILE === opts.sopsAgeKeyFile
              ? 'SOPS_AGE_KEY_FILE'
              : '--sops-age-key-file';
          // sops reads the key from this variable; the engine passes it to every sops it runs.
          process.env.SOPS_AGE_KEY_FILE = await checkSopsAgeKeyFile(opts.sopsAgeKeyFile, from, process.cwd());
        }
        const controlVerify = await controlVerifyFrom(opts, process.cwd());
        const running = await startWheelhouse({
          ...(controlVerify ? { controlVerify } : {}),
          ...(opts.repo ? { repo: opts.repo } : {}),
          ...(opts.store ? { storeUrl: opts.store } : {}),
          ...(opts.resetStore ? { resetStore: true } : {}),
          replica: {
            ...(opts.replicaId ? { id: opts.replicaId } : {}),
            ...(opts.leaseSeconds ? { leaseMs: parseLeaseSeconds(opts.leaseSeconds) } : {}),
          },
          ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
          ...(opts.ref ? { ref: opts.ref } : {}),
          dataDir,
          ...(demoPort !== undefined ? { demoPort } : {}),
          cwd: process.cwd(),
          log,
          http: {
            host: opts.host,
            port: parsePort(opts.port),
            trustProxy: parseTrustProxy(opts.trustProxy),
            logStreams: {
              ...(opts.logStreamsPerUser !== undefined
                ? { perUser: parseCount('--log-streams-per-user', opts.logStreamsPerUser) }
                : {}),
              ...(opts.logStreamsTotal !== undefined
                ? { total: parseCount('--log-streams-total', opts.logStreamsTotal) }
                : {}),
            },
          },
          onEvents: (events) => {
            quiet = narrate(events, log);
          },
        });
        // Listening for a stop before anything else is awaited: a stop asked for now is a clean one.
        const stopRequested = waitForSignal();
        const refusal = await pushRefusal(running.controlRepo, running.ref);
        log.info(`Wheelhouse is up: following ${running.controlRepo} at ${running.ref}; data in ${dataDir}`);
        if (refusal) log.warn(refusal);
        if (running.server) {
          log.info(
            `API at ${running.server.url}; admin token ${running.server.adminTokenCreated ? 'written to' : 'in'} ${running.server.adminTokenFile} (try: ${clientHint({ url: running.server.url, dataDir, cwd: process.cwd() })})`,
          );
        }
        if (running.demo) {
          log.info(
            [
              running.demo.created
                ? 'Started the built-in demo: a web service and a managed file.'
                : 'Running the built-in demo.',
              `  Try:  curl http://127.0.0.1:${running.demo.port}/`,
              `  Then: edit ${running.controlRepo}/apps/web/web.yaml (change GREETING),`,
              `        git -C ${running.controlRepo} commit -am "New greeting"   and watch it converge.`,
              `  Drift: edit ${dataDir}/files/local/web/motd.txt by hand; Wheelhouse puts it back.`,
            ].join('\n'),
          );
        }
        await stopRequested;
        log.info(
          'Stopping Wheelhouse. Workloads keep running: the next `wheelhouse up` re-adopts them; `wheelhouse down` stops them.',
        );
        quiet();
        await running.stop().catch((err) => log.error(`clean stop failed: ${errorMessage(err)}`));
      },
    );
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `--port must be a port number from 0 to 65535, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}

function parseCount(flag: string, value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `${flag} must be a whole number of at least 1, got ${JSON.stringify(value)}`,
    );
  }
  return count;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
