import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  advance,
  type BuildPlan,
  consoleText,
  type EmulatedBuild,
  phaseOf,
  readBody,
  serveLoopback,
  stageOf,
} from './ci-plan.js';

/**
 * GitHub's REST API for Actions, as far as Wheelhouse uses it (docs.github.com/rest/actions,
 * API version 2022-11-28): bearer tokens (401 "Bad credentials"); `POST …/workflows/{file}/
 * dispatches` with `{ref, inputs}` answering 204 with no body (422 without `ref`, 404 for an
 * unknown workflow); `GET …/workflows/{file}/runs` newest first (filters `event`, `per_page`);
 * `GET …/runs/{id}` (`status` queued|in_progress|completed, `conclusion`); `GET …/runs/{id}/jobs`
 * with steps; `GET …/jobs/{id}/logs` answering 302 to a short-lived plain-text download; and
 * `POST …/runs/{id}/cancel` (202).
 */
export interface GithubActionsEmulator {
  url: string;
  repo: string;
  token: string;
  runs: (EmulatedBuild & { id: number; ref: string })[];
  workflow(file: string, plan: BuildPlan): void;
  close(): Promise<void>;
}

export async function startGithubActionsEmulator(repo = 'acme/shop'): Promise<GithubActionsEmulator> {
  const token = randomBytes(16).toString('hex');
  const workflows = new Map<string, BuildPlan>();
  const runs: GithubActionsEmulator['runs'] = [];
  let url = '';
  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...(body === undefined
        ? {}
        : { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }),
      ...headers,
    });
    res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
  };
  const runJson = (r: GithubActionsEmulator['runs'][number], look = true) => {
    const phase = look ? advance(r) : phaseOf(r);
    const done = phase !== 'queued' && phase !== 'running';
    return {
      id: r.id,
      name: r.job,
      event: 'workflow_dispatch',
      head_branch: r.ref,
      status: done ? 'completed' : phase === 'running' ? 'in_progress' : 'queued',
      conclusion: done ? (phase === 'cancelled' ? 'cancelled' : phase) : null,
      html_url: `https://github.example/${repo}/actions/runs/${r.id}`,
      created_at: new Date(r.startedAt).toISOString(),
      run_started_at: new Date(r.startedAt).toISOString(),
      updated_at: new Date(r.startedAt + (done ? 95_000 : 0)).toISOString(),
    };
  };
  const jobsJson = (r: GithubActionsEmulator['runs'][number]) => {
    const phase = phaseOf(r);
    const current = stageOf(r);
    return [
      {
        id: r.id * 10,
        name: 'test',
        status: phase === 'queued' ? 'queued' : phase === 'running' ? 'in_progress' : 'completed',
        conclusion: phase === 'failure' ? 'failure' : phase === 'success' ? 'success' : null,
        steps: (r.plan.stages ?? []).map((name) => ({
          name,
          status: name === current && phase === 'running' ? 'in_progress' : 'completed',
          conclusion: name === current && phase === 'failure' ? 'failure' : 'success',
        })),
      },
    ];
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = new URL(req.url ?? '/', url);
    const download = /^\/logs-download\/(\d+)$/.exec(at.pathname);
    if (download) {
      const r = runs.find((x) => x.id * 10 === Number(download[1]));
      return r ? send(res, 200, consoleText(r)) : send(res, 404, { message: 'Not Found' });
    }
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { message: 'Bad credentials' });
    const prefix = `/repos/${repo}/actions`;
    if (!at.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    const path = at.pathname.slice(prefix.length);
    const wf = /^\/workflows\/([^/]+)\/(dispatches|runs)$/.exec(path);
    if (wf?.[1]) {
      const file = decodeURIComponent(wf[1]);
      const plan = workflows.get(file);
      if (!plan) return send(res, 404, { message: 'Not Found' });
      if (wf[2] === 'dispatches' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}') as {
          ref?: string;
          inputs?: Record<string, string>;
        };
        if (!body.ref) return send(res, 422, { message: 'Invalid request. "ref" wasn\'t supplied.' });
        runs.push({
          id: 7_000_000 + runs.length + 1,
          ref: body.ref,
          number: runs.length + 1,
          job: file,
          params: body.inputs ?? {},
          plan,
          looks: 0,
          cancelled: false,
          startedAt: Date.UTC(2030, 0, 1),
        });
        return send(res, 204);
      }
      const list = runs.filter((r) => r.job === file).reverse();
      const limit = Number(at.searchParams.get('per_page') ?? 30);
      return send(res, 200, {
        total_count: list.length,
        workflow_runs: list.slice(0, limit).map((r) => runJson(r, false)),
      });
    }
    const run = /^\/runs\/(\d+)(\/jobs|\/cancel)?$/.exec(path);
    if (run) {
      const r = runs.find((x) => x.id === Number(run[1]));
      if (!r) return send(res, 404, { message: 'Not Found' });
      if (run[2] === '/cancel' && req.method === 'POST') {
        r.cancelled = true;
        return send(res, 202, {});
      }
      if (run[2] === '/jobs') return send(res, 200, { total_count: 1, jobs: jobsJson(r) });
      return send(res, 200, runJson(r));
    }
    const logs = /^\/jobs\/(\d+)\/logs$/.exec(path);
    if (logs) return send(res, 302, undefined, { location: `${url}/logs-download/${logs[1]}` });
    send(res, 404, { message: 'Not Found' });
  }

  const served = await serveLoopback(handle);
  url = served.url;
  return {
    url,
    repo,
    token,
    runs,
    workflow: (file, plan) => workflows.set(file, plan),
    close: served.close,
  };
}
