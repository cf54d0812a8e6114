import type { CiServerSpec } from '../core/index.js';
import { ciRequest, lastLines, parseJson, secretFrom } from './http.js';
import type { BuildPhase, BuildState, BuildSummary, CiClient } from './types.js';

type GithubSpec = Extract<CiServerSpec, { kind: 'github-actions' }>;
type Env = Readonly<Record<string, string | undefined>>;

interface WorkflowRun {
  id: number;
  status: string;
  conclusion: string | null;
  html_url: string;
  created_at: string;
  run_started_at?: string;
  updated_at: string;
}

interface RunJob {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  steps?: { name: string; status: string; conclusion: string | null }[];
}

/**
 * GitHub Actions through the REST API (docs.github.com/rest/actions): `workflow_dispatch` on a
 * workflow file (which answers 204 with no run id, so the run is the first one of that workflow
 * newer than any before the dispatch), the run, its jobs and steps (the step running now, or the
 * one that failed), the failed job's log, and cancel. Job names in `build` are workflow files:
 * `build gha/deploy.yml env=prod`; parameters are the workflow's inputs.
 */
export function createGithubActionsClient(spec: GithubSpec, env: Env): CiClient {
  const api = `${spec.apiUrl.replace(/\/+$/, '')}/repos/${spec.repo}/actions`;
  const headers = () => ({
    authorization: `Bearer ${secretFrom(env, spec.tokenEnv, spec, 'tokenEnv')}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
  });
  const get = async <T>(url: string): Promise<T> =>
    parseJson<T>(spec, url, (await ciRequest(spec, 'GET', url, { headers: headers() })).text);
  const workflowRuns = (job: string, limit: number, query = '') =>
    get<{ workflow_runs: WorkflowRun[] }>(
      `${api}/workflows/${encodeURIComponent(job)}/runs?per_page=${limit}${query}`,
    ).then((r) => r.workflow_runs);

  async function jobsOf(run: string): Promise<RunJob[]> {
    return (await get<{ jobs: RunJob[] }>(`${api}/runs/${run}/jobs`)).jobs;
  }

  return {
    spec,
    async start(job, params) {
      const before = await workflowRuns(job, 1, '&event=workflow_dispatch');
      const url = `${api}/workflows/${encodeURIComponent(job)}/dispatches`;
      const response = await ciRequest(spec, 'POST', url, {
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ ref: spec.ref, inputs: params }),
      });
      // Newer servers can name the run at once (`return_run_details`); otherwise find it later.
      const details = response.text ? parseJson<{ workflow_run_id?: number }>(spec, url, response.text) : {};
      if (details.workflow_run_id) return { server: spec.name, job, run: String(details.workflow_run_id) };
      return { server: spec.name, job, queue: `after:${before[0]?.id ?? 0}` };
    },
    async state(handle) {
      if (!handle.run) {
        const after = Number(handle.queue?.replace('after:', '') ?? 0);
        const runs = await workflowRuns(handle.job, 20, '&event=workflow_dispatch');
        const mine = runs.filter((r) => r.id > after).sort((a, b) => a.id - b.id)[0];
        if (!mine) return { phase: 'queued', why: 'dispatched; waiting for GitHub to create the run' };
        handle.run = String(mine.id);
      }
      const run = await get<WorkflowRun>(`${api}/runs/${handle.run}`);
      const state = stateOf(run);
      if (state.phase === 'running' || state.phase === 'failure') {
        const step = stepOf(await jobsOf(handle.run), state.phase);
        if (step) state.step = step;
      }
      return state;
    },
    async consoleTail(handle, lines) {
      if (!handle.run) return [];
      const jobs = await jobsOf(handle.run);
      const failed = jobs.find((j) => j.conclusion === 'failure') ?? jobs.at(-1);
      if (!failed) return [];
      const response = await ciRequest(spec, 'GET', `${api}/jobs/${failed.id}/logs`, { headers: headers() });
      return lastLines(response.text, lines);
    },
    async cancel(handle) {
      if (!handle.run) await this.state(handle);
      if (handle.run)
        await ciRequest(spec, 'POST', `${api}/runs/${handle.run}/cancel`, { headers: headers() });
    },
    async recent(job, limit): Promise<BuildSummary[]> {
      return (await workflowRuns(job, limit)).map((run) => ({
        handle: { server: spec.name, job, run: String(run.id) },
        ...stateOf(run),
      }));
    },
  };
}

function stateOf(run: WorkflowRun): BuildState {
  const phase: BuildPhase =
    run.status !== 'completed'
      ? run.status === 'in_progress'
        ? 'running'
        : 'queued'
      : run.conclusion === 'success' || run.conclusion === 'neutral' || run.conclusion === 'skipped'
        ? 'success'
        : run.conclusion === 'cancelled'
          ? 'cancelled'
          : 'failure';
  const started = run.run_started_at ?? run.created_at;
  return {
    phase,
    url: run.html_url,
    run: String(run.id),
    startedAt: started,
    ...(run.status === 'completed' ? { durationMs: Date.parse(run.updated_at) - Date.parse(started) } : {}),
  };
}

function stepOf(jobs: readonly RunJob[], phase: BuildPhase): string | undefined {
  for (const job of jobs) {
    const step =
      phase === 'failure'
        ? job.steps?.find((s) => s.conclusion === 'failure')
        : job.steps?.find((s) => s.status === 'in_progress');
    if (step) return `${job.name} / ${step.name}`;
  }
  return undefined;
}
