import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './build.js';
import { waitFor } from './wait-for.js';

/** `wheelhouse up` (or another command) as a real child process, with its log lines collected. */
export interface WheelhouseProcess {
  child: ChildProcess;
  /** Log messages (`msg` of each JSON line) seen so far. */
  messages: string[];
  waitForMessage(pattern: RegExp, what?: string): Promise<string>;
  /** SIGTERM and wait for exit (SIGKILL after a grace period). */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

export function runWheelhouse(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    /** The script to run instead of the `wheelhouse` bin (`scripts/start.mjs`, what `npm start` runs). */
    entry?: string;
  },
): WheelhouseProcess {
  const child = spawn(process.execPath, [options.entry ?? BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: string[] = [];
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as { msg?: string };
        if (parsed.msg) messages.push(parsed.msg);
      } catch {
        if (line.trim()) messages.push(line);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    messages,
    waitForMessage: (pattern, what) =>
      waitFor(what ?? `a log line matching ${pattern}`, () => messages.find((m) => pattern.test(m)), {
        timeoutMs: 60_000,
      }),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
