import type { z } from 'zod';
import type { ValidationIssue } from '../core/index.js';
import type { YamlDocument } from '../render/yaml/index.js';
import { didYouMean, formatFieldPath } from '../util/index.js';

/** What to add when a required field is missing, by field path with indexes and names as `*`. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  'apps.*.name': 'add `name: web` (a DNS label, unique among apps)',
  'apps.*.path': "add `path: apps/web` (the directory of the app's manifests in its source repo)",
  'targets.*.driver': 'add `driver: process` (or another registered driver)',
  'people.*.name': 'add `name: Alice`',
  'people.*.email': 'add `email: alice@example.com` (the author of commits made for this person)',
  'access.bindings.*.subjects': 'add `subjects: ["slack:U123"]`',
  'access.bindings.*.role': 'add `role: deployer` (a role from access.roles or a built-in one)',
  'notifications.routes.*.platform':
    'add `platform: web` (web, slack, teams, mattermost, discord, matrix or irc)',
  'notifications.routes.*.channel': 'add `channel: ops`',
  'webhooks.*.secretEnv': 'add `secretEnv: GH_HOOK_SECRET` (the environment variable holding the secret)',
  'previews.*.tokenEnv':
    'add `tokenEnv: GH_PREVIEW_TOKEN` (the environment variable holding a token that may comment and set commit statuses)',
  'previews.*.apiUrl':
    'add `apiUrl: https://gitea.example.com/api/v1` (Gitea and Forgejo are self-hosted, so their API has no default address)',
};

/** Maps whose keys are names (targets, providers): in hint patterns their keys read as `*`. */
const NAMED_MAPS = new Set(['targets', 'webhooks', 'previews']);

const pattern = (path: readonly PropertyKey[]): string =>
  path
    .map((segment, i) =>
      typeof segment === 'number' || (i > 0 && NAMED_MAPS.has(String(path[i - 1]))) ? '*' : String(segment),
    )
    .join('.');

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  array: 'a list (lines starting with "- ")',
};

/** Describes a value without echoing text (which could be a secret). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
}

/** Messages for zod's built-in checks; fields with their own message keep it. */
export const zodErrorMap: z.core.$ZodErrorMap = (issue) => {
  const path = issue.path ?? [];
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (input === undefined) {
        const hint = REQUIRED_HINTS[pattern(path)];
        return hint ? `is required — ${hint}` : `is required (${expected})`;
      }
      return `must be ${expected}, not ${describeValue(input)}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const got =
        typeof input === 'string' ? `"${input}" is not allowed` : `${describeValue(input)} is not allowed`;
      const suggestion = typeof input === 'string' ? didYouMean(input, allowed) : '';
      return `${got}${suggestion || ` — use one of: ${allowed.join(', ')}`}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} entries`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${String(issue.maximum)} entries`;
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_key':
      return `the key "${String(input)}" is not valid here`;
    default:
      return undefined;
  }
};

/** Turns zod issues into located issues, one per problem (an invalid key is reported at the key). */
export function locateZodIssues(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  doc: YamlDocument | undefined,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
      // Record keys (e.g. a role name): point at the key; the nested issues say what is wrong.
      for (const inner of issue.issues) {
        out.push(located(file, doc, issue.path, 'key', inner.message));
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      out.push(located(file, doc, issue.path, 'value', issue.message));
      continue;
    }
    const at =
      issue.code === 'custom' && (issue.params as { at?: string } | undefined)?.at === 'key'
        ? 'key'
        : 'value';
    out.push(located(file, doc, issue.path, at, issue.message));
  }
  return out;
}

export function located(
  file: string,
  doc: YamlDocument | undefined,
  path: readonly PropertyKey[],
  at: 'key' | 'value',
  message: string,
): ValidationIssue {
  const segments = path.filter((s): s is string | number => typeof s === 'string' || typeof s === 'number');
  const position = doc ? doc.locate(segments, at) : { line: 1, column: 1 };
  return { file, line: position.line, column: position.column, path: formatFieldPath(segments), message };
}
