import type { CiServerSpec } from '../core/index.js';
import { WheelhouseError } from '../core/index.js';
import { ciRequest, lastLines, parseJson, secretFrom } from './http.js';
import type { BuildPhase, BuildState, BuildSummary, CiClient } from './types.js';

type GitlabSpec = Extract<CiServerSpec, { kind: 'gitlab' }>;
type Env = Readonly<Record<string, string | undefined>>;

interface Pipeline {
  id: number;
  status: string;
  web_url: string;
  created_at: string;
  started_at?: string | null;
  duration?: number | null;
}

interface PipelineJob {
  id: number;
  name: string;
  stage: string;
  status: string;
}

/**
 * GitLab pipelines through the REST API v4 (docs.gitlab.com/api/pipeline_triggers,
 * /api/pipelines, /api/jobs): a pipeline triggered with the project's trigger token on a ref
 * (the "job" in `build gitlab/main KEY=VALUE` is the ref, parameters become pipeline
 * variables), then followed, listed and cancelled with an access token (`tokenEnv`).
 */
export function createGitlabClient(spec: GitlabSpec, env: Env): CiClient {
  const api = `${spec.url.replace(/\/+$/, '')}/api/v4/projects/${encodeURIComponent(spec.project)}`;
  const readHeaders = () => {
    if (!spec.tokenEnv) {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `CI server ${spec.name}: following, listing and cancelling GitLab pipelines needs an access token with read_api/api scope; name its env var as ci.${spec.name}.tokenEnv in wheelhouse.yaml`,
        { details: { ci: spec.name } },
      );
    }
    return { 'private-token': secretFrom(env, spec.tokenEnv, spec, 'tokenEnv') };
  };
  const get = async <T>(url: string): Promise<T> =>
    parseJson<T>(spec, url, (await ciRequest(spec, 'GET', url, { headers: readHeaders() })).text);
  const jobsOf = (run: string) => get<PipelineJob[]>(`${api}/pipelines/${run}/jobs?per_page=100`);

  return {
    spec,
    async start(job, params) {
      const form = new URLSearchParams({
        token: secretFrom(env, spec.triggerTokenEnv, spec, 'triggerTokenEnv'),
        ref: job || spec.ref,
      });
      for (const [key, value] of Object.entries(params)) form.append(`variables[${key}]`, value);
      const url = `${api}/trigger/pipeline`;
      const response = await ciRequest(spec, 'POST', url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      const pipeline = parseJson<Pipeline>(spec, url, response.text);
      return { server: spec.name, job, run: String(pipeline.id) };
    },
    async state(handle) {
      const pipeline = await get<Pipeline>(`${api}/pipelines/${handle.run}`);
      const state = stateOf(pipeline);
      if ((state.phase === 'running' || state.phase === 'failure') && handle.run) {
        const wanted = state.phase === 'failure' ? 'failed' : 'running';
        const job = (await jobsOf(handle.run)).find((j) => j.status === wanted);
        if (job) state.step = `${job.stage} / ${job.name}`;
      }
      return state;
    },
    async consoleTail(handle, lines) {
      if (!handle.run) return [];
      const jobs = await jobsOf(handle.run);
      const failed = jobs.find((j) => j.status === 'failed') ?? jobs.at(-1);
      if (!failed) return [];
      const response = await ciRequest(spec, 'GET', `${api}/jobs/${failed.id}/trace`, {
        headers: readHeaders(),
      });
      return lastLines(response.text, lines);
    },
    async cancel(handle) {
      await ciRequest(spec, 'POST', `${api}/pipelines/${handle.run}/cancel`, { headers: readHeaders() });
    },
    async recent(job, limit): Promise<BuildSummary[]> {
      const pipelines = await get<Pipeline[]>(
        `${api}/pipelines?ref=${encodeURIComponent(job)}&per_page=${limit}`,
      );
      return pipelines.map((p) => ({ handle: { server: spec.name, job, run: String(p.id) }, ...stateOf(p) }));
    },
  };
}

const QUEUED = ['created', 'waiting_for_resource', 'preparing', 'pending', 'scheduled', 'manual'];

function stateOf(pipeline: Pipeline): BuildState {
  const phase: BuildPhase = QUEUED.includes(pipeline.status)
    ? 'queued'
    : pipeline.status === 'running'
      ? 'running'
      : pipeline.status === 'success'
        ? 'success'
        : pipeline.status === 'failed'
          ? 'failure'
          : 'cancelled';
  return {
    phase,
    url: pipeline.web_url,
    run: String(pipeline.id),
    startedAt: pipeline.started_at ?? pipeline.created_at,
    ...(typeof pipeline.duration === 'number' ? { durationMs: pipeline.duration * 1000 } : {}),
  };
}
