import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How an emulated CI build unfolds, one step per look: a build waits `queuedLooks` looks in the
 * queue, runs for `runningLooks` looks (stage by stage), then ends with `result`. Driving it by
 * looks rather than by time keeps the tests free of timings.
 */
export interface BuildPlan {
  result: 'success' | 'failure';
  queuedLooks?: number;
  runningLooks?: number;
  stages?: string[];
  console?: string[];
}

export interface EmulatedBuild {
  number: number;
  job: string;
  params: Record<string, string>;
  plan: BuildPlan;
  looks: number;
  cancelled: boolean;
  startedAt: number;
}

export type Phase = 'queued' | 'running' | 'success' | 'failure' | 'cancelled';

/** Where the build is at this look (and count the look). */
export function advance(build: EmulatedBuild): Phase {
  const phase = phaseOf(build);
  if (phase === 'queued' || phase === 'running') build.looks += 1;
  return phase;
}

export function phaseOf(build: EmulatedBuild): Phase {
  if (build.cancelled) return 'cancelled';
  const queued = build.plan.queuedLooks ?? 1;
  const running = build.plan.runningLooks ?? 2;
  if (build.looks < queued) return 'queued';
  if (build.looks < queued + running) return 'running';
  return build.plan.result;
}

/** The stage running at this look (or the last one, where it ended). */
export function stageOf(build: EmulatedBuild): string | undefined {
  const stages = build.plan.stages ?? [];
  if (stages.length === 0) return undefined;
  const queued = build.plan.queuedLooks ?? 1;
  const index = Math.min(Math.max(build.looks - queued, 0), stages.length - 1);
  return stages[index];
}

export function consoleText(build: EmulatedBuild): string {
  return `${(build.plan.console ?? [`Started by user wheelhouse`, `Finished: ${build.plan.result.toUpperCase()}`]).join('\n')}\n`;
}

/** Reads a request body as text. */
export async function readBody(request: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves `handle` on 127.0.0.1 (a free port); an exception becomes a 500 with its text. `onDone`
 * sees what each handled request resolved to (the Jenkins emulator logs statuses).
 */
export async function serveLoopback<T>(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<T>,
  onDone: (req: IncomingMessage, value: T) => void = () => {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).then(
      (value) => onDone(req, value),
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
