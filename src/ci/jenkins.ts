import type { CiServerSpec } from '../core/index.js';
import { ciRequest, lastLines, parseJson, secretFrom } from './http.js';
import type { BuildHandle, BuildPhase, BuildState, BuildSummary, CiClient } from './types.js';

type JenkinsSpec = Extract<CiServerSpec, { kind: 'jenkins' }>;
type Env = Readonly<Record<string, string | undefined>>;

interface QueueItem {
  cancelled?: boolean;
  why?: string | null;
  executable?: { number: number; url: string } | null;
}

interface JenkinsBuild {
  number: number;
  url: string;
  building: boolean;
  result: string | null;
  timestamp: number;
  duration: number;
}

interface StageView {
  stages?: { name: string; status: string }[];
}

/**
 * Jenkins through its remote access API (jenkins.io/doc/book/using/remote-access-api): a CSRF
 * crumb from `crumbIssuer/api/json` (kept with its session cookie) on every POST,
 * `buildWithParameters` answering with a queue item, the queue item until it names its build,
 * the build's JSON, `logText/progressiveText`, `stop`, and the Pipeline stage view
 * (`wfapi/describe`) for the stage running now where the plugin is installed. Folders and
 * multibranch jobs are paths: `team/shop/main` is `job/team/job/shop/job/main`.
 */
export function createJenkinsClient(spec: JenkinsSpec, env: Env): CiClient {
  const base = spec.url.endsWith('/') ? spec.url : `${spec.url}/`;
  const auth = () =>
    `Basic ${Buffer.from(`${spec.user}:${secretFrom(env, spec.tokenEnv, spec, 'tokenEnv')}`).toString('base64')}`;

  const jobUrl = (job: string) =>
    `${base}${job
      .split('/')
      .filter((part) => part !== '')
      .map((part) => `job/${encodeURIComponent(decodeURIComponent(part))}`)
      .join('/')}/`;

  const get = async <T>(url: string): Promise<T> => {
    const response = await ciRequest(spec, 'GET', url, { headers: { authorization: auth() } });
    return parseJson<T>(spec, url, response.text);
  };

  /** Headers for a POST: the crumb and its session cookie, when the server issues crumbs. */
  async function postHeaders(): Promise<Record<string, string>> {
    const url = `${base}crumbIssuer/api/json`;
    const response = await ciRequest(spec, 'GET', url, {
      headers: { authorization: auth() },
      ok: [200, 404],
    });
    if (response.status === 404) return { authorization: auth() }; // CSRF protection is off
    const crumb = parseJson<{ crumb: string; crumbRequestField: string }>(spec, url, response.text);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] ?? '')
      .filter((c) => c !== '')
      .join('; ');
    return { authorization: auth(), [crumb.crumbRequestField]: crumb.crumb, ...(cookie ? { cookie } : {}) };
  }

  async function post(url: string, body?: string): Promise<Headers> {
    const headers = await postHeaders();
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await ciRequest(spec, 'POST', url, {
      headers,
      ...(body !== undefined ? { body } : {}),
      ok: [200, 201, 302],
    });
    return response.headers;
  }

  async function stageOf(handle: BuildHandle, phase: BuildPhase): Promise<string | undefined> {
    const url = `${jobUrl(handle.job)}${handle.run}/wfapi/describe`;
    const response = await ciRequest(spec, 'GET', url, {
      headers: { authorization: auth() },
      ok: [200, 404],
    });
    if (response.status === 404) return undefined; // no Pipeline stage view here
    const stages = parseJson<StageView>(spec, url, response.text).stages ?? [];
    const wanted = phase === 'failure' ? ['FAILED', 'UNSTABLE'] : ['IN_PROGRESS', 'PAUSED_PENDING_INPUT'];
    return stages.find((s) => wanted.includes(s.status))?.name;
  }

  const summary = (job: string, build: JenkinsBuild): BuildSummary => ({
    handle: { server: spec.name, job, run: String(build.number) },
    ...stateOf(build),
  });

  return {
    spec,
    async start(job, params) {
      const body = new URLSearchParams(params).toString();
      const url = `${jobUrl(job)}${body ? 'buildWithParameters' : 'build'}`;
      const headers = await post(url, body || undefined);
      const location = headers.get('location');
      return { server: spec.name, job, ...(location ? { queue: new URL(location, base).href } : {}) };
    },
    async state(handle) {
      if (!handle.run) {
        if (!handle.queue) return { phase: 'queued' };
        const item = await get<QueueItem>(`${withSlash(handle.queue)}api/json`);
        if (item.cancelled) return { phase: 'cancelled', why: 'cancelled while queued' };
        if (!item.executable) return { phase: 'queued', ...(item.why ? { why: item.why } : {}) };
        handle.run = String(item.executable.number);
      }
      const build = await get<JenkinsBuild>(`${jobUrl(handle.job)}${handle.run}/api/json`);
      const state = stateOf(build);
      const step =
        state.phase === 'running' || state.phase === 'failure'
          ? await stageOf(handle, state.phase)
          : undefined;
      return { ...state, ...(step ? { step } : {}) };
    },
    async consoleTail(handle, lines) {
      if (!handle.run) return [];
      const url = `${jobUrl(handle.job)}${handle.run}/logText/progressiveText?start=0`;
      const response = await ciRequest(spec, 'GET', url, { headers: { authorization: auth() } });
      return lastLines(response.text, lines);
    },
    async cancel(handle) {
      if (handle.run) {
        await post(`${jobUrl(handle.job)}${handle.run}/stop`);
        return;
      }
      const id = handle.queue ? /(\d+)\/?$/.exec(handle.queue)?.[1] : undefined;
      if (id) await post(`${base}queue/cancelItem?id=${id}`);
    },
    async recent(job, limit) {
      const tree = `builds[number,url,result,building,timestamp,duration]{0,${limit}}`;
      const data = await get<{ builds?: JenkinsBuild[] }>(
        `${jobUrl(job)}api/json?tree=${encodeURIComponent(tree)}`,
      );
      return (data.builds ?? []).map((b) => summary(job, b));
    },
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function stateOf(build: JenkinsBuild): BuildState {
  const phase: BuildPhase = build.building
    ? 'running'
    : build.result === 'SUCCESS'
      ? 'success'
      : build.result === 'FAILURE' || build.result === 'UNSTABLE'
        ? 'failure'
        : build.result === 'ABORTED' || build.result === 'NOT_BUILT'
          ? 'cancelled'
          : 'running';
  return {
    phase,
    url: build.url,
    run: String(build.number),
    startedAt: new Date(build.timestamp).toISOString(),
    ...(phase !== 'running' ? { durationMs: build.duration } : {}),
  };
}
