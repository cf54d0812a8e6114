import { z } from 'zod';
import type { HookPhase, KindDefinition, SpecIssue } from '../core/index.js';
import { closestMatches, DURATION_HINT, parseDuration, zodSpecIssues } from '../util/index.js';

export const CI_JOB_KIND = 'CIJob';

/** Long enough for an integration suite; a hook that waits longer should say so in its spec. */
export const CI_JOB_DEFAULT_TIMEOUT = '30m';

const ciJobSchema = z.strictObject({
  ci: z.string({ error: 'add the name of a server declared under ci: in wheelhouse.yaml' }).min(1),
  job: z
    .string({ error: 'add the job to run on that server (e.g. integration-tests or team/shop/main)' })
    .min(1),
  phase: z.enum(['PreSync', 'PostSync'], { error: 'must be PreSync or PostSync' }).default('PostSync'),
  params: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.boolean()], { error: 'parameter values must be text' }),
    )
    .default({})
    .transform((params) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))),
  timeout: z.string({ error: DURATION_HINT }).default(CI_JOB_DEFAULT_TIMEOUT),
});

/** A `CIJob`'s spec after validation: the timeout in milliseconds beside its text. */
export interface CiJobSpec {
  ci: string;
  job: string;
  phase: HookPhase;
  params: Record<string, string>;
  timeout: string;
  timeoutMs: number;
}

/**
 * `kind: CIJob`: a job on a `ci:` server run as a PreSync/PostSync hook, for every driver (the
 * engine runs it, not the target). `servers` are the names declared under `ci:` when known; a
 * name not among them is a located error.
 */
export function ciJobKind(servers: readonly string[] | undefined): KindDefinition {
  return {
    kind: CI_JOB_KIND,
    description:
      'A job on a ci: server (Jenkins, GitHub Actions, GitLab) run before (PreSync) or after (PostSync) the rest; its failure fails the sync.',
    parse(spec) {
      const result = ciJobSchema.safeParse(spec ?? {}, { reportInput: true });
      if (!result.success) return { ok: false, issues: zodSpecIssues(ciJobSchema, result.error.issues) };
      const issues: SpecIssue[] = [];
      const { ci, timeout } = result.data;
      if (servers && !servers.includes(ci))
        issues.push({ path: ['ci'], message: unknownServer(ci, servers) });
      const timeoutMs = parseDuration(timeout);
      if (timeoutMs === undefined || timeoutMs <= 0) {
        issues.push({ path: ['timeout'], message: `"${timeout}" is not a duration — ${DURATION_HINT}` });
      }
      if (issues.length > 0 || timeoutMs === undefined) return { ok: false, issues };
      const value: CiJobSpec = { ...result.data, timeoutMs };
      return { ok: true, value: { ...value } };
    },
    hook: (spec): HookPhase => (spec.phase === 'PreSync' ? 'PreSync' : 'PostSync'),
    order: 90,
  };
}

function unknownServer(ci: string, servers: readonly string[]): string {
  if (servers.length === 0) {
    return `there is no CI server called ${ci}: wheelhouse.yaml declares none; add it under ci: (see docs/ci.md)`;
  }
  const close = closestMatches(ci, [...servers]);
  const hint = close.length > 0 ? ` — did you mean ${close.join(' or ')}?` : '';
  return `there is no CI server called ${ci}${hint} (declared under ci: in wheelhouse.yaml: ${servers.join(', ')})`;
}

/** A normalized CIJob spec back as its type (the engine re-reads what render produced). */
export function ciJobSpecOf(spec: Record<string, unknown>): CiJobSpec {
  const { timeoutMs: _derived, ...written } = spec;
  const parsed = ciJobKind(undefined).parse(written);
  if (!parsed.ok) {
    throw new Error(`not a CIJob spec: ${parsed.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.value as unknown as CiJobSpec;
}
