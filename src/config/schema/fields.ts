import { z } from 'zod';
import {
  DNS_LABEL_HINT,
  DURATION_HINT,
  didYouMean,
  formatDuration,
  isDnsLabel,
  parseDuration,
} from '../../util/index.js';

/**
 * Building blocks of the wheelhouse.yaml schema. Each carries its own message (what is wrong and
 * how to fix it); generic type errors get theirs from `issues.ts`. Messages never echo values of
 * fields that might hold a secret.
 */

/** A mapping whose unknown keys are errors with a "did you mean", reported next to all others. */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(shape, key)) continue;
        const hint = didYouMean(key, known) || ` — allowed here: ${known.join(', ')}`;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown key "${key}"${hint}`,
          params: { at: 'key' },
        });
      }
    },
    { when: (payload) => isMapping(payload.value) },
  );
}

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Optional, and an empty value (`key:` with nothing after it) counts as absent. */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

export const text = (what: string) =>
  z.string().refine((value) => value.trim() !== '', { message: `${what} must not be empty` });

export const dnsLabel = (what: string) =>
  z.string().superRefine((value, ctx) => {
    if (!isDnsLabel(value))
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid ${what} — ${DNS_LABEL_HINT}` });
  });

/** A duration written as text, turned into milliseconds. */
export const duration = (minMs = 0) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : typeof issue.input === 'number'
            ? `a duration needs a unit: write ${issue.input}s (seconds) or ${issue.input}m (minutes)`
            : `must be a duration — ${DURATION_HINT}`,
    })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration — ${DURATION_HINT}` });
        return z.NEVER;
      }
      if (ms < minMs) {
        ctx.addIssue({
          code: 'custom',
          message: `${value} is too short: the minimum is ${formatDuration(minMs)}`,
        });
        return z.NEVER;
      }
      return ms;
    });

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The NAME of an environment variable (never its value; the value is never echoed either). */
export const envName = () =>
  z
    .string({
      // Missing: fall through to the generic "is required" message with its hint.
      error: (issue) =>
        issue.input === undefined ? undefined : 'must be the name of an environment variable, e.g. GIT_TOKEN',
    })
    .refine((value) => ENV_NAME.test(value), {
      message:
        'must name an environment variable (A-Z, 0-9 and _, e.g. GIT_TOKEN), not hold the secret itself — put the secret in that variable',
    });

/** A path inside a repository: relative, `/`-separated, no `..`; normalized without `./` or a trailing `/`. */
export const repoPath = () =>
  z.string().transform((value, ctx) => {
    const trimmed = value.trim();
    const fail = (why: string) => {
      ctx.addIssue({
        code: 'custom',
        message: `${why} — write a path relative to the repo root, e.g. apps/web`,
      });
      return z.NEVER;
    };
    if (trimmed === '') return fail('path is empty');
    if (trimmed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(trimmed)) return fail(`"${value}" is absolute`);
    if (trimmed.includes('\\')) return fail(`"${value}" uses "\\"; use "/"`);
    const parts = trimmed.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) return fail(`"${value}" leaves the repository with ".."`);
    return parts.length === 0 ? '.' : parts.join('/');
  });

/**
 * A repo URL, as text. Its rules are the git layer's (see `appSourceProblems`): a bad URL fails
 * its app alone, not the whole file, so it is not refused here.
 */
export const repoUrl = () => z.string();

/** A ref: branch, tag, semver range, or commit sha (the git layer resolves it). */
export const gitRef = () =>
  z.string().superRefine((value, ctx) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (value.trim() === '' || value.startsWith('-') || /[\u0000-\u001f\u007f]/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'is not a valid ref — use a branch (main), a tag (v1.2.0), a semver range (">=1.2 <2") or a commit sha',
      });
    }
  });

/** Free labels such as environments: letters, digits, `.`, `_`, `-`. */
export const label = (what: string) =>
  z.string().refine((value) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value), {
    message: `${what} must be letters, digits, ".", "_" or "-" (e.g. prod)`,
  });

/** A name or a glob over names (`*`, `web-*`). */
export const namePattern = (what: string) =>
  z.string().refine((value) => /^[A-Za-z0-9*?._-]+$/.test(value), {
    message: `${what} must be a name or a pattern with * (e.g. "web-*" or "*")`,
  });

/** A regular expression (as JavaScript understands it). */
export const regex = () =>
  z.string().superRefine((value, ctx) => {
    try {
      new RegExp(value);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid regular expression (${why}) — escape special characters with \\`,
      });
    }
  });

/** An http(s) URL; its value is echoed in errors (a URL is not a secret; credentials go in env vars). */
export const httpUrl = (what: string) =>
  z.string().refine((value) => /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(value), {
    message: `${what} must be an http(s) URL without credentials or query, e.g. https://ci.example.com/ (put tokens in the env var named by tokenEnv)`,
  });
