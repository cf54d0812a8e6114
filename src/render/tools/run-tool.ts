import { spawn } from 'node:child_process';

/** How one run of a render tool ended. */
export type ToolRun =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; reason: 'missing' | 'timeout' | 'failed' | 'too-large'; message: string };

export interface RunToolOptions {
  binary: string;
  args: readonly string[];
  cwd: string;
  timeoutMs: number;
  /** When false, the tool's HTTP(S) proxy points at a closed loopback port: no fetch leaves. */
  network: boolean;
  /** Extra environment (helm's cache and config homes). */
  env?: Record<string, string>;
  /** Output beyond this fails the render (a runaway template). */
  maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
/** Port 9 (discard) on loopback: nothing listens, so a proxied request fails at once. */
const NO_NETWORK_PROXY = 'http://127.0.0.1:9';

/**
 * Runs kustomize or helm with a deadline and a bounded output, never through a shell. The tool's
 * own message (its last lines of stderr) comes back for the render error.
 */
export function runTool(options: RunToolOptions): Promise<ToolRun> {
  const { binary, args, cwd, timeoutMs } = options;
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...options.env };
  if (!options.network) {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY'])
      env[name] = NO_NETWORK_PROXY;
    env.NO_PROXY = '';
    env.GIT_ALLOW_PROTOCOL = 'file';
  }
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let ended: ToolRun | undefined;
    const finish = (run: ToolRun) => {
      ended ??= run;
    };
    const timer = setTimeout(() => {
      finish({
        ok: false,
        reason: 'timeout',
        message: `did not finish within ${timeoutMs / 1000}s`,
      });
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        finish({ ok: false, reason: 'too-large', message: `wrote more than ${max} bytes of manifests` });
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.reduce((n, b) => n + b.length, 0) < 64 * 1024) err.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = error.code === 'ENOENT';
      resolve({
        ok: false,
        reason: missing ? 'missing' : 'failed',
        message: missing ? `${binary} was not found` : `${binary} could not start (${error.message})`,
      });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (ended) return resolve(ended);
      if (code === 0) return resolve({ ok: true, stdout: Buffer.concat(out).toString('utf8'), stderr });
      resolve({ ok: false, reason: 'failed', message: lastLines(stderr) || `exited with ${code ?? signal}` });
    });
  });
}

/** The tool's message without its noise: the last few non-empty lines of stderr. */
function lastLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-5)
    .join('; ');
}
