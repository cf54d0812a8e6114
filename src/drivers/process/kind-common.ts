import { posix } from 'node:path';
import { z } from 'zod';
import { type ParseResult, WheelhouseError } from '../../core/index.js';
import { zodSpecIssues } from '../../util/index.js';

/** Environment variable names as POSIX shells accept them. */
export const envName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be an environment variable name (letters, digits, _; not starting with a digit)',
  );

/** An argument vector: never run through a shell. */
export const commandSchema = z
  .array(z.string(), { error: 'must be a list of strings (an argument vector), e.g. ["node", "server.js"]' })
  .min(1, 'must name a program to run, e.g. ["node", "server.js"]')
  .refine((argv) => (argv[0] ?? '').trim() !== '', {
    message: 'the program (first element) must not be empty',
  })
  .refine((argv) => argv.every((arg) => !arg.includes('\0')), { message: 'must not contain NUL characters' });

/**
 * A path relative to some root that stays inside it (`..` that climbs out, absolute paths and NUL
 * are refused); normalized to posix form without a leading `./`.
 */
export function relativePath(what: string) {
  return z
    .string()
    .refine((p) => !p.includes('\0'), { message: `${what} must not contain NUL characters` })
    .refine((p) => !posix.isAbsolute(p) && !/^[A-Za-z]:[\\/]/.test(p), {
      message: `${what} must be relative (absolute paths are refused)`,
    })
    .refine((p) => !escapes(p), { message: `${what} must stay inside its root ('..' may not climb out)` })
    .transform((p) => posix.normalize(p.replaceAll('\\', '/')).replace(/\/+$/, '') || '.');
}

function escapes(path: string): boolean {
  const normalized = posix.normalize(path.replaceAll('\\', '/'));
  return normalized === '..' || normalized.startsWith('../');
}

/** A workload's `user`: a name, a uid or `uid:gid`. */
export const userField = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]*$|^\d+(:\d+)?$/,
    'must be a user name, a uid, or uid:gid such as 1001:1001',
  )
  .optional();

/**
 * Values of `env`. A NUL cannot be passed to a program (the operating system ends the string
 * there, and Node refuses it at every spawn), so it is refused here, where the issue names the field.
 */
export const envMap = z.record(
  envName,
  z
    .string({ error: 'env values must be strings (quote numbers: "8080")' })
    .refine((value) => !value.includes('\0'), {
      message:
        'must not contain a NUL character (\\0): programs cannot receive it — remove it from the value',
    }),
);

export const secretEnvMap = z.record(
  envName,
  z.strictObject({
    fromEnv: envName.describe("name of the engine's environment variable holding the value"),
  }),
);

/** Refuses a name set both in `env` and `secretEnv`. */
export function noEnvOverlap(
  spec: { env: Record<string, string>; secretEnv: Record<string, unknown> },
  ctx: z.RefinementCtx,
): void {
  for (const name of Object.keys(spec.secretEnv)) {
    if (name in spec.env) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretEnv', name],
        message: `${name} is set in both env and secretEnv; keep it in one of them`,
      });
    }
  }
}

/** Turns a zod schema into a `KindDefinition.parse`: validation, defaults, precise issue paths. */
export function parserFor<T extends Record<string, unknown>>(
  schema: z.ZodType<T>,
): (spec: unknown) => ParseResult<Record<string, unknown>> {
  return (spec) => {
    const result = schema.safeParse(spec ?? {}, { reportInput: true });
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, issues: zodSpecIssues(schema, result.error.issues) };
  };
}

/** Typed access to an already-normalized spec (the driver re-validates what it is handed). */
export function parseOrThrow<T>(
  schema: z.ZodType<T>,
  spec: unknown,
  where: { app: string; resource: string },
): T {
  const result = schema.safeParse(spec, { reportInput: true });
  if (result.success) return result.data;
  const issues = zodSpecIssues(schema, result.error.issues);
  const text = issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ');
  throw new WheelhouseError(
    'MANIFEST_INVALID',
    `${where.resource} (app ${where.app}) has an invalid spec: ${text}; fix the manifest and sync again`,
    { details: { app: where.app, resource: where.resource } },
  );
}

/**
 * `sourceTrees`: written by the engine, not by people — the git tree id of `cwd` at the synced
 * revision (see KindDefinition.sourcePaths), so new code there is a new spec.
 */
export const sourceTreesField = z.record(z.string(), z.string()).optional();

/**
 * The code of a command lives in its `cwd`; at the repository root (the default) that would be
 * every commit, so there only the manifest counts.
 */
export function cwdSourcePaths(spec: Record<string, unknown>): string[] {
  return typeof spec.cwd === 'string' && spec.cwd !== '.' ? [spec.cwd] : [];
}
