import { closestMatches } from '../../util/edit-distance.js';
import type { CommandDefinition } from './definition.js';
import { type FlagSpec, type SyntaxPart, usageOf } from './syntax.js';
import { tokenize } from './tokenize.js';

export type ArgValue = string | number | boolean | string[] | Record<string, string>;

export interface ParsedCommand {
  definition: CommandDefinition;
  /** The name as typed (may be an alias). */
  typed: string;
  args: Record<string, ArgValue>;
  flags: Record<string, number | boolean>;
}

export type ParseResult =
  | { ok: true; command: ParsedCommand }
  | {
      ok: false;
      /** What is wrong and how to fix it: the usage line, or "did you mean". */
      error: string;
      definition?: CommandDefinition;
    };

/** Find a command by name or alias. */
export function findCommand(defs: readonly CommandDefinition[], name: string): CommandDefinition | undefined {
  const lower = name.toLowerCase();
  return defs.find((d) => d.name === lower || (d.aliases ?? []).includes(lower));
}

/** Parse a chat command (already stripped of any mention or prefix) against the definitions. */
export function parseCommand(defs: readonly CommandDefinition[], input: string): ParseResult {
  const tokenized = tokenize(input.trim());
  if (!tokenized.ok) return { ok: false, error: tokenized.error };
  const [first, ...rest] = tokenized.tokens;
  if (first === undefined) return { ok: false, error: 'say a command, e.g. `help` or `status`' };
  const definition = findCommand(defs, first);
  if (!definition) {
    const names = defs.flatMap((d) => [d.name, ...(d.aliases ?? [])]);
    const close = closestMatches(first.toLowerCase(), names);
    const hint = close.length > 0 ? `did you mean ${close.map((c) => `\`${c}\``).join(' or ')}? ` : '';
    return { ok: false, error: `unknown command \`${first}\`; ${hint}\`help\` lists every command` };
  }
  const usage = `usage: \`${usageOf(definition.name, definition.syntax, definition.flags)}\``;
  const fail = (why: string): ParseResult => ({ ok: false, error: `${why}; ${usage}`, definition });

  const flags: Record<string, number | boolean> = {};
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    if (!token.startsWith('--') || token === '--') {
      words.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const spec = (definition.flags ?? []).find((f) => f.name === name);
    if (!spec) {
      const known = (definition.flags ?? []).map((f) => `--${f.name}`);
      return fail(
        known.length > 0
          ? `\`${definition.name}\` has no option --${name} (options: ${known.join(', ')})`
          : `\`${definition.name}\` takes no options`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq !== -1) return fail(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = token.slice(eq + 1);
    else {
      raw = rest[i + 1];
      i++;
    }
    if (raw === undefined) return fail(`--${name} needs a value`);
    const value = parseWhole(raw, spec);
    if (typeof value === 'string') return fail(`--${name} ${value}`);
    flags[name] = value;
  }

  const args: Record<string, ArgValue> = {};
  const problem = matchParts(definition.syntax, words, args);
  if (problem.error) return fail(problem.error);
  if (problem.used < words.length) return fail(`unexpected \`${words[problem.used]}\``);
  return { ok: true, command: { definition, typed: first, args, flags } };
}

function matchParts(
  parts: readonly SyntaxPart[],
  words: readonly string[],
  out: Record<string, ArgValue>,
  start = 0,
): { used: number; error?: string } {
  let at = start;
  for (const part of parts) {
    if (part.kind === 'word') {
      const got = words[at];
      if (got === undefined) return { used: at, error: `\`${part.word}\` is missing` };
      if (got.toLowerCase() !== part.word)
        return { used: at, error: `expected \`${part.word}\`, got \`${got}\`` };
      at++;
      continue;
    }
    if (part.kind === 'optional') {
      const head = part.parts[0];
      const next = words[at];
      if (next === undefined) continue;
      if (head?.kind === 'word' && next.toLowerCase() !== head.word) continue;
      const inner = matchParts(part.parts, words, out, at);
      if (inner.error) return inner;
      at = inner.used;
      continue;
    }
    if (part.rest) {
      const taken = words.slice(at);
      if (taken.length === 0) {
        return { used: at, error: `${part.display ?? `<${part.name}>`} is missing` };
      }
      if (part.type === 'kv') {
        const pairs: Record<string, string> = {};
        for (const item of taken) {
          const eq = item.indexOf('=');
          if (eq <= 0) return { used: at, error: `\`${item}\` is not KEY=VALUE` };
          const key = item.slice(0, eq);
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
            return {
              used: at,
              error: `\`${key}\` is not a valid environment variable name (letters, digits, _; not starting with a digit)`,
            };
          }
          pairs[key] = item.slice(eq + 1);
        }
        out[part.name] = pairs;
      } else {
        out[part.name] = part.rest === 'text' ? taken.join(' ') : taken;
      }
      at = words.length;
      continue;
    }
    const got = words[at];
    if (got === undefined) return { used: at, error: `<${part.name}> is missing` };
    if (part.type === 'int') {
      const value = parseWhole(got, part);
      if (typeof value === 'string') return { used: at, error: `<${part.name}> ${value}` };
      out[part.name] = value;
    } else {
      out[part.name] = got;
    }
    at++;
  }
  return { used: at };
}

/** A whole number within the bounds, or the reason it is not. */
function parseWhole(raw: string, bounds: Pick<FlagSpec, 'min' | 'max'>): number | string {
  if (!/^\d+$/.test(raw)) return `must be a whole number, got \`${raw}\``;
  const value = Number(raw);
  if (bounds.min !== undefined && value < bounds.min) return `must be at least ${bounds.min}, got ${value}`;
  if (bounds.max !== undefined && value > bounds.max) return `must be at most ${bounds.max}, got ${value}`;
  return value;
}
