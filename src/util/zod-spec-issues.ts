import type { z } from 'zod';
import { didYouMean } from './edit-distance.js';

/** One problem in a kind's spec, located by its path inside `spec` (the shape of core's SpecIssue). */
export interface ZodSpecIssue {
  path: (string | number)[];
  message: string;
  /** Point at the key (an unknown field) rather than at its value. */
  at?: 'key';
}

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: readonly unknown[];
  getter?: () => unknown;
}

const defOf = (schema: unknown): Def | undefined =>
  (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  array: 'a list (lines starting with "- ")',
};

/**
 * zod's issues for a kind's spec, in the words wheelhouse.yaml's errors use: an unknown field is
 * reported at its key with a did-you-mean from the fields the schema knows (`comand` → `command`);
 * a missing field "is required" (with the field's own hint, when it has one, as an example); a
 * wrong type says what was expected and what was given, without echoing text (which could be a
 * secret) except a number written as text (`expectStatus: "200"` → write it without quotes).
 * Parse with `{ reportInput: true }` so the given values are known.
 */
export function zodSpecIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): ZodSpecIssue[] {
  return issues.flatMap((issue): ZodSpecIssue[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      return issue.keys.map((key) => ({
        path: [...path, key],
        at: 'key',
        message: `unknown field "${key}"${didYouMean(key, known) || (known.length > 0 ? ` — allowed here: ${known.join(', ')}` : '; remove it')}`,
      }));
    }
    if (issue.code === 'invalid_key') {
      const detail = issue.issues[0]?.message ?? 'invalid key';
      return [{ path, at: 'key', message: `invalid name "${String(path.at(-1))}": ${detail}` }];
    }
    if (issue.code === 'invalid_type') return [{ path, message: typeMessage(issue) }];
    return [{ path, message: issue.message }];
  });
}

function typeMessage(issue: z.core.$ZodIssueInvalidType): string {
  const expected = EXPECTED[issue.expected] ?? issue.expected;
  // A field's own message ("must be a list of strings ..., e.g. [...]") is kept as its hint.
  const own = issue.message.startsWith('Invalid input') ? undefined : issue.message;
  if (issue.input === undefined) {
    const hint = own?.replace(/^must be /, '');
    return `is required${hint ? ` — ${hint}` : ` (${expected})`}`;
  }
  const given = issue.input;
  if (
    (issue.expected === 'number' || issue.expected === 'int') &&
    typeof given === 'string' &&
    /^-?\d+(\.\d+)?$/.test(given.trim())
  ) {
    return `must be ${expected}, not text — write ${given.trim()} without quotes`;
  }
  return own ?? `must be ${expected}, not ${describe(given)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `${typeof value === 'number' ? 'the number ' : ''}${String(value)}`;
}

/** The field names the schema accepts at `path` (inside arrays, records, options and defaults). */
function knownKeys(schema: unknown, path: readonly (string | number)[]): string[] {
  let nodes: unknown[] = [schema];
  for (const segment of path) nodes = nodes.flatMap((node) => child(unwrap(node), segment));
  return [
    ...new Set(nodes.flatMap((node) => unwrap(node).flatMap((n) => Object.keys(defOf(n)?.shape ?? {})))),
  ];
}

/** The schemas a value may be checked against, through wrappers and unions. */
function unwrap(schema: unknown, depth = 0): unknown[] {
  const def = defOf(schema);
  if (!def || depth > 20) return [];
  const inner = def.innerType ?? def.in ?? (def.type === 'lazy' ? def.getter?.() : undefined);
  if (inner !== undefined) return unwrap(inner, depth + 1);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => unwrap(o, depth + 1));
  return [schema];
}

function child(schemas: readonly unknown[], segment: string | number): unknown[] {
  return schemas.flatMap((schema) => {
    const def = defOf(schema);
    if (!def) return [];
    if (def.type === 'object')
      return def.shape?.[String(segment)] !== undefined ? [def.shape[String(segment)]] : [];
    if (def.type === 'array') return def.element !== undefined ? [def.element] : [];
    if (def.type === 'record') return def.valueType !== undefined ? [def.valueType] : [];
    return [];
  });
}
