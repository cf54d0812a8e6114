import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { BIN as CLI } from './build.js';

// Call `ensureBuilt()` (test/support/build.ts) in beforeAll before running these.

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI child: no colour, no inherited Wheelhouse settings. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of ['WHEELHOUSE_URL', 'WHEELHOUSE_TOKEN', 'WHEELHOUSE_DATA', 'FORCE_COLOR']) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `wheelhouse ARGS` as a child process to completion. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env, cwd, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
  });
}

/** Starts `wheelhouse ARGS` and collects its output while it runs (for `-f`). */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output(): string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}
