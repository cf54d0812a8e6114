import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthSpec } from './kind-process.js';
import { type GroupRef, groupListensOn, isLocalHost } from './port-owner.js';
import { spawnFailure } from './spawn-failure.js';

export interface ProbeResult {
  ok: boolean;
  /** Why it failed (or what passed), in words. */
  message: string;
}

export interface ProbeContext {
  cwd: string;
  env: Record<string, string>;
  /** An exec check runs as the workload's user, never as Wheelhouse. */
  user?: { uid: number; gid: number } | undefined;
  /**
   * The replica's process group: a tcp or http check on this host passes only when the group
   * listens on the port, not when another process holding it answers.
   */
  owner?: (() => GroupRef | undefined) | undefined;
}

/** Runs one check (already expanded for its replica), bounded by `timeoutSeconds`. */
export async function probe(health: HealthSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const timeoutMs = health.timeoutSeconds * 1000;
  if (health.http) {
    const result = await probeHttp(health.http.url, health.http.expectStatus, timeoutMs);
    return result.ok ? owned(result, endpointOf(health.http.url), ctx) : result;
  }
  if (health.tcp) {
    const port = Number(health.tcp.port);
    const result = await probeTcp(health.tcp.host, port, timeoutMs);
    return result.ok ? owned(result, { host: health.tcp.host, port }, ctx) : result;
  }
  if (health.exec) return probeExec(health.exec.command, ctx, timeoutMs);
  return { ok: true, message: 'no check' };
}

/**
 * A passing check of a port on this host counts only when the replica's own group listens there:
 * a replica that dies with EADDRINUSE while another process holds the port is not healthy.
 */
function owned(
  result: ProbeResult,
  endpoint: { host: string; port: number } | undefined,
  ctx: ProbeContext,
): ProbeResult {
  const group = ctx.owner?.();
  if (!group || !endpoint || !isLocalHost(endpoint.host)) return result;
  if (groupListensOn(endpoint.port, group) !== false) return result;
  return {
    ok: false,
    message:
      `${endpoint.host}:${endpoint.port} answers, but not from this replica: another process listens on port ` +
      `${endpoint.port} (a replica that cannot bind it fails with EADDRINUSE); stop that process or change the port`,
  };
}

function endpointOf(url: string): { host: string; port: number } | undefined {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { host: parsed.hostname, port };
  } catch {
    return undefined;
  }
}

function probeHttp(url: string, expect: number | undefined, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    let req: ReturnType<typeof httpRequest>;
    try {
      req = send(url, { method: 'GET', headers: { 'user-agent': 'wheelhouse-health' } }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = expect === undefined ? status >= 200 && status < 400 : status === expect;
        const wanted = expect === undefined ? '2xx or 3xx' : String(expect);
        done({
          ok,
          message: ok ? `GET ${url} → ${status}` : `GET ${url} answered ${status}, expected ${wanted}`,
        });
      });
    } catch (err) {
      resolve({ ok: false, message: `GET ${url} failed: ${String(err)}` });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, message: `GET ${url} timed out after ${timeoutMs / 1000}s` });
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      done({ ok: false, message: `GET ${url} failed: ${err.code ?? err.message}` });
    });
    req.end();
  });
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      resolve({ ok: false, message: `tcp check: ${port} is not a port number` });
      return;
    }
    const socket = connect({ host, port });
    const finish = (result: ProbeResult) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, message: `connect ${host}:${port} timed out after ${timeoutMs / 1000}s` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true, message: `connected to ${host}:${port}` }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, message: `connect ${host}:${port} failed: ${err.code ?? err.message}` }),
    );
  });
}

function probeExec(argv: readonly string[], ctx: ProbeContext, timeoutMs: number): Promise<ProbeResult> {
  const [program, ...args] = argv;
  return new Promise((resolve) => {
    if (program === undefined) {
      resolve({ ok: false, message: 'exec check has no command' });
      return;
    }
    execFile(
      program,
      args,
      {
        cwd: ctx.cwd,
        env: ctx.env,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024,
        ...(ctx.user ? { uid: ctx.user.uid, gid: ctx.user.gid } : {}),
      },
      (err, _stdout, stderr) => {
        if (!err) {
          resolve({ ok: true, message: `${program} exited 0` });
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        const why = e.killed
          ? `timed out after ${timeoutMs / 1000}s`
          : typeof e.code === 'number'
            ? `exited with code ${e.code}`
            : undefined;
        if (why === undefined) {
          resolve({
            ok: false,
            message: `exec check: ${spawnFailure(program, err, 'spec.health.exec.command[0]')}`,
          });
          return;
        }
        const last = stderr.trim().split('\n').at(-1);
        resolve({ ok: false, message: `${program} ${why}${last ? `: ${last.slice(0, 200)}` : ''}` });
      },
    );
  });
}
