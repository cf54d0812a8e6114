import type { AppStatus } from '../../core/index.js';

const apps = (n: number) => `${n} app${n === 1 ? '' : 's'}`;

/**
 * Why a ready engine is degraded, for the public readiness probe: counts and where to look, never
 * app names, URLs or error texts (those are behind the API's access checks, in each app's status).
 */
export function readinessProblems(list: readonly Pick<AppStatus, 'sourceError' | 'lastError'>[]): string[] {
  const problems: string[] = [];
  const failing = list.filter((app) => app.sourceError);
  if (failing.length > 0) {
    const since = failing.map((app) => app.sourceError?.since ?? '').sort()[0];
    problems.push(
      `${apps(failing.length)} cannot fetch their source (failing since ${since}); GET /api/v1/apps shows each one's sourceError`,
    );
  }
  const unmanaged = list.filter((app) => app.lastError?.code === 'CONFIG_INVALID');
  if (unmanaged.length > 0) {
    problems.push(
      `${apps(unmanaged.length)} not managed: their entry in wheelhouse.yaml has errors; GET /api/v1/apps shows each one's lastError`,
    );
  }
  return problems;
}
