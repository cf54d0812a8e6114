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
 * A Jenkins controller, as far as its remote access API goes (jenkins.io/doc/book/using/
 * remote-access-api, /security/csrf-protection): HTTP Basic with a user's API token on every
 * request; `GET /crumbIssuer/api/json` issuing a crumb bound to a session cookie, which every POST
 * must carry (403 "No valid crumb was included in the request" otherwise); jobs in folders at
 * `/job/a/job/b/`; `POST …/buildWithParameters` (or `…/build`) answering 201 with the queue
 * item's URL in `Location`; `GET /queue/item/N/api/json` (`why`, then `executable`); a build's
 * `api/json` (`building`, `result`, `duration`, `timestamp`); `logText/progressiveText` with
 * `X-Text-Size` / `X-More-Data`; `POST …/N/stop`; `POST /queue/cancelItem?id=N`; a job's
 * `api/json?tree=builds[...]`; and the Pipeline stage view `…/N/wfapi/describe`.
 */
export interface JenkinsEmulator {
  url: string;
  user: string;
  token: string;
  builds: EmulatedBuild[];
  /** Every request: method, path, status. */
  requests: { method: string; path: string; status: number }[];
  /** Declare a job (a folder path like `team/shop/main`) and how its next builds go. */
  job(path: string, plan: BuildPlan): void;
  close(): Promise<void>;
}

export async function startJenkinsEmulator(): Promise<JenkinsEmulator> {
  const user = 'wheelhouse';
  const token = randomBytes(16).toString('hex');
  const jobs = new Map<string, BuildPlan>();
  const builds: EmulatedBuild[] = [];
  const queue = new Map<number, EmulatedBuild>();
  const crumbs = new Map<string, string>();
  const requests: JenkinsEmulator['requests'] = [];
  let queueIds = 100;
  let url = '';

  /** Answers and returns the status (for the request log). */
  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): number => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
      ...headers,
    });
    res.end(text);
    return status;
  };

  const buildJson = (b: EmulatedBuild) => {
    const phase = advance(b);
    const result =
      phase === 'success'
        ? 'SUCCESS'
        : phase === 'failure'
          ? 'FAILURE'
          : phase === 'cancelled'
            ? 'ABORTED'
            : null;
    return {
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
      number: b.number,
      url: `${url}/${jobPath(b.job)}${b.number}/`,
      building: phase === 'running' || phase === 'queued',
      result,
      timestamp: b.startedAt,
      duration: result ? 61_000 : 0,
      estimatedDuration: 60_000,
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const at = new URL(req.url ?? '/', url);
    const path = at.pathname;
    const expected = `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      send(res, 401, 'Authentication required', { 'www-authenticate': 'Basic realm="Jenkins"' });
      return 401;
    }
    if (req.method === 'GET' && path === '/crumbIssuer/api/json') {
      const session = randomBytes(8).toString('hex');
      const crumb = randomBytes(16).toString('hex');
      crumbs.set(session, crumb);
      send(
        res,
        200,
        { _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb, crumbRequestField: 'Jenkins-Crumb' },
        {
          'set-cookie': `JSESSIONID.emu=${session}; Path=/; HttpOnly`,
        },
      );
      return 200;
    }
    if (req.method === 'POST') {
      const session = /JSESSIONID\.emu=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!session || crumbs.get(session) !== req.headers['jenkins-crumb']) {
        send(res, 403, 'No valid crumb was included in the request');
        return 403;
      }
    }
    const queueMatch = /^\/queue\/item\/(\d+)\/api\/json$/.exec(path);
    if (req.method === 'GET' && queueMatch) {
      const id = Number(queueMatch[1]);
      const b = queue.get(id);
      if (!b) return send(res, 404, 'Not Found');
      const phase = phaseOf(b);
      if (phase === 'queued') advance(b);
      send(res, 200, {
        _class: phase === 'queued' ? 'hudson.model.Queue$WaitingItem' : 'hudson.model.Queue$LeftItem',
        id,
        cancelled: phase === 'cancelled' && b.looks === 0,
        why: phase === 'queued' ? 'Waiting for next available executor' : null,
        executable:
          phase === 'queued' || (phase === 'cancelled' && b.looks === 0)
            ? null
            : { number: b.number, url: `${url}/${jobPath(b.job)}${b.number}/` },
      });
      return 200;
    }
    if (req.method === 'POST' && path === '/queue/cancelItem') {
      const b = queue.get(Number(at.searchParams.get('id')));
      if (!b) return send(res, 404, 'Not Found');
      b.cancelled = true;
      send(res, 302, '', { location: `${url}/queue/` });
      return 302;
    }
    const route = /^\/((?:job\/[^/]+\/)+)(.*)$/.exec(path);
    if (!route?.[1]) return send(res, 404, 'Not Found');
    const job = route[1]
      .split('/')
      .filter((p, i) => i % 2 === 1 && p !== '')
      .map((p) => decodeURIComponent(p))
      .join('/');
    const rest = route[2] ?? '';
    const plan = jobs.get(job);
    if (!plan) return send(res, 404, 'Not Found');
    if (req.method === 'POST' && (rest === 'buildWithParameters' || rest === 'build')) {
      const body = await readBody(req);
      const params = Object.fromEntries([...at.searchParams, ...new URLSearchParams(body)]);
      const b: EmulatedBuild = {
        number: builds.filter((x) => x.job === job).length + 1,
        job,
        params,
        plan,
        looks: 0,
        cancelled: false,
        startedAt: Date.UTC(2030, 0, 1),
      };
      builds.push(b);
      const id = ++queueIds;
      queue.set(id, b);
      send(res, 201, '', { location: `${url}/queue/item/${id}/` });
      return 201;
    }
    if (req.method === 'GET' && rest === 'api/json') {
      const list = builds.filter((b) => b.job === job).reverse();
      send(res, 200, { name: job.split('/').at(-1), builds: list.map((b) => ({ ...buildJson(b) })) });
      return 200;
    }
    const buildRoute = /^(\d+)\/(.*)$/.exec(rest);
    const b = buildRoute
      ? builds.find((x) => x.job === job && x.number === Number(buildRoute[1]))
      : undefined;
    if (!b || !buildRoute) return send(res, 404, 'Not Found');
    const what = buildRoute[2];
    if (req.method === 'GET' && what === 'api/json') return send(res, 200, buildJson(b));
    if (req.method === 'GET' && what === 'wfapi/describe') {
      const phase = phaseOf(b);
      const current = stageOf(b);
      const stages = (b.plan.stages ?? []).map((name) => ({
        name,
        status:
          name === current
            ? phase === 'running'
              ? 'IN_PROGRESS'
              : phase === 'failure'
                ? 'FAILED'
                : 'SUCCESS'
            : 'SUCCESS',
      }));
      return send(res, 200, { id: String(b.number), status: phase.toUpperCase(), stages });
    }
    if (req.method === 'GET' && what === 'logText/progressiveText') {
      const text = consoleText(b);
      const start = Number(at.searchParams.get('start') ?? 0);
      const chunk = Buffer.from(text).subarray(start).toString('utf8');
      const more = phaseOf(b) === 'running' || phaseOf(b) === 'queued';
      send(res, 200, chunk, {
        'x-text-size': String(Buffer.byteLength(text)),
        ...(more ? { 'x-more-data': 'true' } : {}),
      });
      return 200;
    }
    if (req.method === 'POST' && what === 'stop') {
      b.cancelled = true;
      send(res, 302, '', { location: `${url}/${jobPath(job)}${b.number}/` });
      return 302;
    }
    send(res, 404, 'Not Found');
    return 404;
  }

  const served = await serveLoopback(handle, (req, status) =>
    requests.push({ method: req.method ?? '', path: req.url ?? '', status }),
  );
  url = served.url;
  return {
    url,
    user,
    token,
    builds,
    requests,
    job: (path, plan) => jobs.set(path, plan),
    close: served.close,
  };
}

function jobPath(job: string): string {
  return `${job
    .split('/')
    .map((p) => `job/${encodeURIComponent(p)}`)
    .join('/')}/`;
}
