import { type BuildState, buildId, type CiService, type FollowOptions, followBuild } from '../../ci/index.js';
import { WheelhouseError } from '../../core/index.js';
import { formatDuration } from '../../util/index.js';
import type { Operation, OperationOutcome } from '../operation.js';
import { firstControlCharacter, text } from './args.js';

export interface CiOperationDeps {
  ci: CiService;
  follow: Pick<FollowOptions, 'pollMs' | 'sleep' | 'timeoutMs'>;
  now?: () => Date;
}

const CONSOLE_LINES = 20;

/** `build <ci>/<job> [KEY=VALUE...]`: start, answer with the link, follow to the end. */
export function buildOperation(deps: CiOperationDeps): Operation {
  return {
    name: 'build',
    app: () => undefined,
    job: (args) => (typeof args.job === 'string' ? args.job : undefined),
    describe: (args) => `build ${String(args.job)}`,
    async run(ctx, args) {
      const ref = text(args, 'job');
      const params = jobParams(args.params);
      const { client, job } = deps.ci.resolve(ref);
      const handle = await client.start(job, params);
      const tracked = {
        handle,
        state: { phase: 'queued' } as BuildState,
        actor: ctx.identity.actor,
        startedAt: now(deps),
      };
      deps.ci.track(tracked);
      ctx.log.info({ build: buildId(handle) }, 'CI build started');
      ctx.progress(`started ${buildId(handle)} on ${client.spec.kind} — queued`);
      // `follow: false` (the CLI's --no-follow): answer once the server took the build.
      if (args.follow === false) {
        return {
          ok: true,
          summary: `started ${buildId(handle)} on ${client.spec.name}; \`builds ${ref}\` shows how it goes`,
        };
      }
      const followed = await followBuild(
        client,
        handle,
        (state) => {
          tracked.state = state;
          ctx.progress(progressLine(buildId(handle), state));
        },
        { ...deps.follow, tailLines: CONSOLE_LINES, ...(ctx.signal ? { signal: ctx.signal } : {}) },
      );
      return buildOutcome(buildId(handle), followed.state, followed.timedOut, followed.console);
    },
  };
}

/** `builds [<ci>/<job>]`: a job's recent builds from its server, or the builds started here. */
export function buildsOperation(deps: CiOperationDeps): Operation {
  return {
    name: 'builds',
    app: () => undefined,
    describe: (args) => (typeof args.job === 'string' ? `builds ${args.job}` : 'builds'),
    async run(_ctx, args) {
      const ref = typeof args.job === 'string' && args.job !== '' ? args.job : undefined;
      if (ref?.includes('/')) {
        const { client, job } = deps.ci.resolve(ref);
        const recent = await client.recent(job, 10);
        return {
          ok: true,
          summary:
            recent.length === 0 ? `${ref} has no builds yet` : `The last ${recent.length} builds of ${ref}`,
          lines: recent.map((b) => buildLine(buildId(b.handle), b)),
        };
      }
      const started = deps.ci.tracked(ref);
      return {
        ok: true,
        summary:
          started.length === 0
            ? 'No builds were started through Wheelhouse since it started; `builds <ci>/<job>` asks the CI server'
            : `Builds started through Wheelhouse (${started.length})`,
        lines: started.map((b) => `${buildLine(buildId(b.handle), b.state)} — by ${b.actor}`),
      };
    },
  };
}

/** `cancel <ci>/<job>#<number>`: stop a queued or running build. */
export function cancelOperation(deps: CiOperationDeps): Operation {
  return {
    name: 'cancel',
    app: () => undefined,
    job: (args) => (typeof args.build === 'string' ? args.build.replace(/#[^#]*$/, '') : undefined),
    describe: (args) => `cancel ${String(args.build)}`,
    async run(ctx, args) {
      const id = text(args, 'build');
      const handle = deps.ci.handleOf(id);
      const client = deps.ci.client(handle.server);
      ctx.progress(`asking ${client.spec.name} to stop ${id}`);
      await client.cancel(handle);
      return {
        ok: true,
        summary: `asked ${client.spec.name} to cancel ${buildId(handle)}; \`builds\` shows when it stopped`,
      };
    },
  };
}

function now(deps: CiOperationDeps): Date {
  return deps.now?.() ?? new Date();
}

/** `KEY=VALUE` parameters: names as CI servers take them, values one line of text. */
function jobParams(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new WheelhouseError('BAD_REQUEST', 'params must map parameter names to values (KEY=VALUE)');
  }
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) || typeof raw !== 'string') {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `parameter ${key}: names are letters, digits, _, . and -; values are text`,
      );
    }
    if (firstControlCharacter(raw) !== undefined) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `parameter ${key}: the value contains a control character; write one line`,
      );
    }
    out[key] = raw;
  }
  return out;
}

const PHASE_WORD: Record<BuildState['phase'], string> = {
  queued: 'queued',
  running: 'running',
  success: 'succeeded',
  failure: 'failed',
  cancelled: 'was cancelled',
};

function progressLine(id: string, state: BuildState): string {
  const why = state.phase === 'queued' && state.why ? ` (${state.why})` : '';
  const step = state.step ? ` — ${state.step}` : '';
  const link = state.url ? ` ${state.url}` : '';
  return `${id} ${PHASE_WORD[state.phase]}${why}${step}${link}`;
}

function buildLine(id: string, state: BuildState): string {
  const took = state.durationMs !== undefined ? ` in ${formatDuration(state.durationMs)}` : '';
  return `${id} ${PHASE_WORD[state.phase]}${took}${state.url ? ` ${state.url}` : ''}`;
}

export function buildOutcome(
  id: string,
  state: BuildState,
  timedOut: boolean,
  console: string[],
): OperationOutcome {
  const fields = [
    ...(state.url ? [{ label: 'Build', value: state.url }] : []),
    ...(state.durationMs !== undefined
      ? [{ label: 'Duration', value: formatDuration(state.durationMs) }]
      : []),
    ...(state.step ? [{ label: state.phase === 'failure' ? 'Failed at' : 'Step', value: state.step }] : []),
  ];
  if (timedOut) {
    return {
      ok: false,
      summary: `stopped following ${id} while it was ${PHASE_WORD[state.phase]}; it keeps running on the CI server — \`builds\` shows how it ended`,
      fields,
      error: { code: 'HEALTH_TIMEOUT', message: `${id} did not finish in time` },
    };
  }
  const took = state.durationMs !== undefined ? ` in ${formatDuration(state.durationMs)}` : '';
  const outcome: OperationOutcome = {
    ok: state.phase === 'success',
    summary: `${id} ${PHASE_WORD[state.phase]}${took}`,
    fields,
  };
  if (state.phase !== 'success') {
    outcome.error = { code: 'HOOK_FAILED', message: `${id} ${PHASE_WORD[state.phase]}` };
    if (console.length > 0) outcome.code = console.join('\n');
  }
  return outcome;
}

/** The CI actions, by command name (registered beside the others by createChatOps). */
export function createCiOperations(deps: CiOperationDeps): Operation[] {
  return [buildOperation(deps), buildsOperation(deps), cancelOperation(deps)];
}
