import { type CiServerSpec, type ControlConfig, WheelhouseError } from '../core/index.js';
import { closestMatches } from '../util/index.js';
import { createGithubActionsClient } from './github-actions.js';
import { createGitlabClient } from './gitlab.js';
import { createJenkinsClient } from './jenkins.js';
import { type BuildHandle, type BuildState, buildId, type CiClient } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A build started through Wheelhouse, and who started it. */
export interface TrackedBuild {
  handle: BuildHandle;
  state: BuildState;
  actor: string;
  startedAt: Date;
}

export interface CiService {
  /** The client of the server named in `<ci>/<job>` and the job's path. */
  resolve(ref: string): { client: CiClient; job: string };
  client(server: string): CiClient;
  /** Remember a started build (for `builds` and `cancel`), newest first, a bounded number. */
  track(build: TrackedBuild): void;
  tracked(job?: string): TrackedBuild[];
  /** A build by its id as shown in chat (`jenkins/deploy#12`). */
  handleOf(id: string): BuildHandle;
}

const TRACKED_MAX = 100;

/** One client per CI server kind; adding a kind is one line here and one file beside it. */
function createClient(spec: CiServerSpec, env: Env): CiClient {
  switch (spec.kind) {
    case 'jenkins':
      return createJenkinsClient(spec, env);
    case 'github-actions':
      return createGithubActionsClient(spec, env);
    case 'gitlab':
      return createGitlabClient(spec, env);
  }
}

/** The `ci:` servers of the configuration in force, as clients, and the builds started here. */
export function createCiService(deps: { config: () => ControlConfig; env: Env }): CiService {
  const builds: TrackedBuild[] = [];

  function client(server: string): CiClient {
    const servers = deps.config().ci ?? {};
    const spec = servers[server];
    if (!spec) {
      const names = Object.keys(servers);
      const close = closestMatches(server, names);
      throw new WheelhouseError(
        'NOT_FOUND',
        names.length === 0
          ? `there is no CI server called ${server}: wheelhouse.yaml declares none; add one under ci: (see docs/ci.md)`
          : `there is no CI server called ${server}${close.length > 0 ? ` — did you mean ${close.join(' or ')}?` : ''} (declared under ci: in wheelhouse.yaml: ${names.join(', ')})`,
        { details: { ci: server } },
      );
    }
    return createClient(spec, deps.env);
  }

  function resolve(ref: string): { client: CiClient; job: string } {
    const slash = ref.indexOf('/');
    if (slash <= 0 || slash === ref.length - 1) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `"${ref}" is not a job: write <ci>/<job>, e.g. jenkins/deploy or jenkins/team/shop/main (a folder or multibranch path)`,
      );
    }
    return { client: client(ref.slice(0, slash)), job: ref.slice(slash + 1) };
  }

  return {
    resolve,
    client,
    track(build) {
      builds.unshift(build);
      builds.length = Math.min(builds.length, TRACKED_MAX);
    },
    tracked: (job) => builds.filter((b) => job === undefined || `${b.handle.server}/${b.handle.job}` === job),
    handleOf(id) {
      const match = /^(.+)#([A-Za-z0-9-]+)$/.exec(id);
      const known = builds.find((b) => buildId(b.handle) === id);
      if (known) return known.handle;
      if (!match?.[1] || !match[2] || match[2].startsWith('queued-')) {
        throw new WheelhouseError(
          'BAD_REQUEST',
          `"${id}" is not a build: write <ci>/<job>#<number>, as \`builds\` shows it (e.g. jenkins/deploy#12)`,
        );
      }
      const { client: c, job } = resolve(match[1]);
      return { server: c.spec.name, job, run: match[2] };
    },
  };
}
