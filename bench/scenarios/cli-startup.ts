import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { latencyRow } from '../lib/stats.js';
import { benchRepo, startBenchWheelhouse, stopBenchWheelhouse } from '../lib/wheelhouse.js';

const SAMPLES = 15;
const BIN = fileURLToPath(new URL('../../../bin/wheelhouse.js', import.meta.url));

/** Wall time of one `node ARGS` child, from spawn to exit; throws when it fails. */
function timed(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

async function samples(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number[]> {
  await timed(args, env); // warm the file cache: the figures are for a warm start, like a person's second call
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) out.push(await timed(args, env));
  return out;
}

/**
 * How long a `wheelhouse` call takes from the shell's point of view: a bare `node` for reference,
 * `--version`, and client commands against a running server (one app). Each CLI call loads only
 * what its command needs (issue 14, item 17).
 */
export const cliStartup: Scenario = {
  name: 'cli-startup',
  description: `wall time of a wheelhouse CLI call (spawn to exit), ${SAMPLES} samples each after one warm-up`,
  async run(context) {
    const repo = await context.tmp('control');
    const data = await context.tmp('data');
    await benchRepo(repo, {
      'wheelhouse.yaml': 'apps:\n  - { name: docs, path: apps/docs, interval: 1h }\n',
      'apps/docs/readme.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n',
    });
    const running = await startBenchWheelhouse(repo, data);
    const server = running.server;
    if (!server) throw new Error('the HTTP server did not start');
    try {
      await running.engine.settled();
      const token = (await readFile(server.adminTokenFile, 'utf8')).trim();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NO_COLOR: '1',
        WHEELHOUSE_URL: server.url,
        WHEELHOUSE_TOKEN: token,
      };
      const rows: BenchRow[] = [
        latencyRow('node -e "" (reference: a bare Node.js start)', await samples(['-e', ''], env)),
        latencyRow('wheelhouse --version', await samples([BIN, '--version'], env), '< 300 ms'),
        latencyRow('wheelhouse --help', await samples([BIN, '--help'], env)),
        latencyRow('wheelhouse apps (client, running server)', await samples([BIN, 'apps'], env), '< 500 ms'),
        latencyRow('wheelhouse status docs', await samples([BIN, 'status', 'docs'], env), '< 500 ms'),
        latencyRow('wheelhouse diff docs', await samples([BIN, 'diff', 'docs'], env), '< 500 ms'),
      ];
      context.log(`bin: ${BIN}`);
      return rows;
    } finally {
      await stopBenchWheelhouse(running, data);
    }
  },
};
