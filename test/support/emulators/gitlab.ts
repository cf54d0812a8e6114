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
 * GitLab's REST API v4 for pipelines, as Wheelhouse uses it (docs.gitlab.com/api/
 * pipeline_triggers, /api/pipelines, /api/jobs): `POST /projects/:id/trigger/pipeline` with the
 * form fields `token`, `ref` and `variables[KEY]` (404 for a wrong trigger token, 400 without a
 * ref), answering 201 with the pipeline; and, with a `PRIVATE-TOKEN` header (401 otherwise),
 * `GET /projects/:id/pipelines/:pid` (status created|pending|running|success|failed|canceled,
 * `duration` in seconds), `…/pipelines/:pid/jobs`, `GET /projects/:id/jobs/:jid/trace`,
 * `POST …/pipelines/:pid/cancel` and `GET /projects/:id/pipelines?ref=`. `:id` is the project's
 * id or its URL-encoded path (`acme%2Fshop`).
 */
export interface GitlabEmulator {
  url: string;
  project: string;
  triggerToken: string;
  token: string;
  pipelines: (EmulatedBuild & { id: number })[];
  plan(ref: string, plan: BuildPlan): void;
  close(): Promise<void>;
}

export async function startGitlabEmulator(project = 'acme/shop'): Promise<GitlabEmulator> {
  const triggerToken = `glptt-${randomBytes(10).toString('hex')}`;
  const token = `glpat-${randomBytes(10).toString('hex')}`;
  const plans = new Map<string, BuildPlan>();
  const pipelines: GitlabEmulator['pipelines'] = [];
  let url = '';
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const STATUS = {
    queued: 'pending',
    running: 'running',
    success: 'success',
    failure: 'failed',
    cancelled: 'canceled',
  };
  const pipelineJson = (p: GitlabEmulator['pipelines'][number], look = true) => {
    const phase = look ? advance(p) : phaseOf(p);
    const done = phase !== 'queued' && phase !== 'running';
    return {
      id: p.id,
      iid: p.number,
      ref: p.job,
      status: STATUS[phase],
      web_url: `https://gitlab.example/${project}/-/pipelines/${p.id}`,
      created_at: new Date(p.startedAt).toISOString(),
      started_at: new Date(p.startedAt).toISOString(),
      duration: done ? 42 : null,
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = new URL(req.url ?? '/', url);
    const prefix = `/api/v4/projects/${encodeURIComponent(project)}`;
    if (!at.pathname.startsWith(prefix)) return send(res, 404, { message: '404 Project Not Found' });
    const path = at.pathname.slice(prefix.length);
    if (path === '/trigger/pipeline' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('token') !== triggerToken) return send(res, 404, { message: '404 Not Found' });
      const ref = form.get('ref');
      if (!ref) return send(res, 400, { error: 'ref is missing' });
      const plan = plans.get(ref);
      if (!plan) return send(res, 400, { message: { base: ['Reference not found'] } });
      const variables: Record<string, string> = {};
      for (const [key, value] of form) {
        const name = /^variables\[(.+)\]$/.exec(key)?.[1];
        if (name) variables[name] = value;
      }
      const p = {
        id: 5000 + pipelines.length + 1,
        number: pipelines.length + 1,
        job: ref,
        params: variables,
        plan,
        looks: 0,
        cancelled: false,
        startedAt: Date.UTC(2030, 0, 1),
      };
      pipelines.push(p);
      return send(res, 201, pipelineJson(p, false));
    }
    if (req.headers['private-token'] !== token) return send(res, 401, { message: '401 Unauthorized' });
    if (path === '/pipelines') {
      const ref = at.searchParams.get('ref');
      const list = pipelines.filter((p) => !ref || p.job === ref).reverse();
      return send(
        res,
        200,
        list.map((p) => pipelineJson(p, false)),
      );
    }
    const one = /^\/pipelines\/(\d+)(\/jobs|\/cancel)?$/.exec(path);
    if (one) {
      const p = pipelines.find((x) => x.id === Number(one[1]));
      if (!p) return send(res, 404, { message: '404 Not found' });
      if (one[2] === '/cancel' && req.method === 'POST') {
        p.cancelled = true;
        return send(res, 200, pipelineJson(p, false));
      }
      if (one[2] === '/jobs') {
        const phase = phaseOf(p);
        const stage = stageOf(p) ?? 'test';
        return send(res, 200, [
          {
            id: p.id * 10,
            name: `${stage}-job`,
            stage,
            status: STATUS[phase] === 'pending' ? 'pending' : STATUS[phase],
          },
        ]);
      }
      return send(res, 200, pipelineJson(p));
    }
    const trace = /^\/jobs\/(\d+)\/trace$/.exec(path);
    if (trace) {
      const p = pipelines.find((x) => x.id * 10 === Number(trace[1]));
      return p ? send(res, 200, consoleText(p)) : send(res, 404, { message: '404 Not found' });
    }
    send(res, 404, { message: '404 Not Found' });
  }

  const served = await serveLoopback(handle);
  url = served.url;
  return {
    url,
    project,
    triggerToken,
    token,
    pipelines,
    plan: (ref, plan) => plans.set(ref, plan),
    close: served.close,
  };
}
