import { type CliResult, cliEnv, runCli } from './cli.js';
import { freePort } from './ports.js';
import { runWheelhouse, type WheelhouseProcess } from './wheelhouse-process.js';

/** A real `wheelhouse up` on a control repo, a free port and its own data dir, with a CLI bound to it. */
export interface UpServer {
  up: WheelhouseProcess;
  data: string;
  url: string;
  /** `wheelhouse ARGS --url URL --data DATA` (the admin token from the data dir). */
  cli(...args: string[]): Promise<CliResult>;
  /** Stops `up`, then `down` stops the workloads it started. */
  stop(): Promise<void>;
}

/** Call `ensureBuilt()` first. Resolves once the API listens (`API at ...` logged). */
export async function startUp(
  tmp: (label?: string) => Promise<string>,
  repo: string,
  extra: readonly string[] = ['--log-format', 'json'],
  env: Record<string, string> = {},
): Promise<UpServer> {
  const data = await tmp('data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const up = runWheelhouse(['up', '--repo', repo, '--data', data, '--port', String(port), ...extra], {
    cwd: repo,
    env,
  });
  await up.waitForMessage(/API at /);
  return {
    up,
    data,
    url,
    cli: (...args) => runCli([...args, '--url', url, '--data', data], cliEnv(env)),
    async stop() {
      await up.stop();
      await runCli(['down', '--data', data], cliEnv()).catch(() => undefined);
    },
  };
}
