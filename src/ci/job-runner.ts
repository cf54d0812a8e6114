import type { CiJobResult, CiJobRunner } from '../core/index.js';
import { type FollowOptions, followBuild } from './follow.js';
import type { CiService } from './service.js';
import { buildId } from './types.js';

const CONSOLE_LINES = 20;

/**
 * `CIJob` sync hooks through the `ci:` servers: start the job, follow it (each change of phase
 * or stage is the hook's progress), and answer how it ended. A build still running at the
 * timeout is cancelled on its server, so a stalled sync leaves no build behind.
 */
export function createCiJobRunner(
  ci: CiService,
  follow: Pick<FollowOptions, 'pollMs' | 'sleep' | 'now'>,
): CiJobRunner {
  return {
    async run(request, { signal, progress }) {
      const { client, job } = ci.resolve(`${request.ci}/${request.job}`);
      const handle = await client.start(job, request.params);
      progress(`started ${buildId(handle)} — queued`);
      const followed = await followBuild(
        client,
        handle,
        (state) => {
          const where = state.step ? ` (${state.step})` : '';
          progress(
            `${buildId({ ...handle, ...(state.run ? { run: state.run } : {}) })} ${state.phase}${where}`,
          );
        },
        { ...follow, timeoutMs: request.timeoutMs, tailLines: CONSOLE_LINES, signal },
      );
      const { state } = followed;
      const build = buildId({ ...handle, ...(state.run ? { run: state.run } : {}) });
      const base = {
        build,
        ...(state.url ? { url: state.url } : {}),
        ...(state.durationMs === undefined ? {} : { durationMs: state.durationMs }),
      };
      if (!followed.timedOut) {
        const outcome =
          state.phase === 'success' ? 'success' : state.phase === 'cancelled' ? 'cancelled' : 'failure';
        return { ...base, outcome, console: followed.console } satisfies CiJobResult;
      }
      // The timeout (or the sync was cancelled): stop the build rather than leave it running.
      await client.cancel(handle).catch(() => undefined);
      const console = await client.consoleTail(handle, CONSOLE_LINES).catch(() => []);
      return { ...base, outcome: 'timeout', console } satisfies CiJobResult;
    },
  };
}
