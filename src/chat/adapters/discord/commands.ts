/**
 * The slash command, generated from the command catalog: one command (`/wh`) with a subcommand
 * per chat command (`/wh scale app:web process:web n:3`) plus `/wh run command:"…"` for anything
 * typed as text. Arguments become typed options (integers keep their bounds, flags become
 * booleans); an interaction is turned back into the text the chat pipeline parses, so Discord and
 * every other platform run exactly the same commands.
 */

/** A command of the catalog, as far as Discord needs it (structurally the chat command definition). */
export type SyntaxLike =
  | { kind: 'word'; word: string }
  | {
      kind: 'arg';
      name: string;
      type: 'word' | 'int' | 'kv';
      min?: number;
      max?: number;
      rest?: 'list' | 'text';
      describe?: string;
      display?: string;
    }
  | { kind: 'optional'; parts: readonly SyntaxLike[] };

export interface CommandSpec {
  name: string;
  summary: string;
  syntax: readonly SyntaxLike[];
  flags?: readonly { name: string; type: 'boolean' | 'int'; min?: number; max?: number; describe: string }[];
}

export const OPTION = { SUB_COMMAND: 1, STRING: 3, INTEGER: 4, BOOLEAN: 5 } as const;

export interface DiscordOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  options?: DiscordOption[];
}

export interface DiscordCommandDefinition {
  name: string;
  type: 1;
  description: string;
  options: DiscordOption[];
}

/** The free-text subcommand: `/wh run command:"sync web to v2"`. */
export const RUN_SUBCOMMAND = 'run';

/** Discord's limit on the subcommands of one application command. */
const MAX_SUBCOMMANDS = 25;

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  app: 'the app’s name',
  process: 'the process (a Process in the app’s manifests)',
  n: 'how many replicas',
  rev: 'a branch, tag or commit sha',
  id: 'the approval request id',
  reason: 'why (free text)',
  vars: 'KEY=VALUE pairs separated by spaces',
  command: 'a command name',
  from: 'the environment to promote from',
  to: 'the environment to promote to',
};

const optionName = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 32);

const description = (text: string) => {
  const one = text.replace(/\s+/g, ' ').trim() || '-';
  return one.length <= 100 ? one : `${one.slice(0, 99)}…`;
};

function argOptions(parts: readonly SyntaxLike[], required: boolean): DiscordOption[] {
  return parts.flatMap((part): DiscordOption[] => {
    if (part.kind === 'word') return [];
    if (part.kind === 'optional') return argOptions(part.parts, false);
    const option: DiscordOption = {
      type: part.type === 'int' ? OPTION.INTEGER : OPTION.STRING,
      name: optionName(part.name),
      description: description(part.describe ?? DESCRIPTIONS[part.name] ?? part.display ?? part.name),
      required,
    };
    if (part.type === 'int' && part.min !== undefined) option.min_value = part.min;
    if (part.type === 'int' && part.max !== undefined) option.max_value = part.max;
    return [option];
  });
}

/** The application command definitions to register (PUT) for the catalog. */
export function discordCommands(
  specs: readonly CommandSpec[],
  commandName: string,
): DiscordCommandDefinition[] {
  const subcommands: DiscordOption[] = specs
    .filter((spec) => spec.name !== RUN_SUBCOMMAND)
    .map((spec) => {
      const options = argOptions(spec.syntax, true);
      for (const flag of spec.flags ?? []) {
        const option: DiscordOption = {
          type: flag.type === 'int' ? OPTION.INTEGER : OPTION.BOOLEAN,
          name: optionName(flag.name),
          description: description(flag.describe),
          required: false,
        };
        if (flag.type === 'int' && flag.min !== undefined) option.min_value = flag.min;
        if (flag.type === 'int' && flag.max !== undefined) option.max_value = flag.max;
        options.push(option);
      }
      // Discord lists required options first, and names must be unique.
      const seen = new Set<string>();
      const unique = options.filter((o) => !seen.has(o.name) && seen.add(o.name));
      unique.sort((a, b) => Number(b.required === true) - Number(a.required === true));
      return {
        type: OPTION.SUB_COMMAND,
        name: optionName(spec.name),
        description: description(spec.summary),
        options: unique,
      };
    });
  // Discord takes at most 25 subcommands: the first 24 of the catalog get their own, and `run`
  // (always registered) reaches every command, those past the 24th included.
  const run: DiscordOption = {
    type: OPTION.SUB_COMMAND,
    name: RUN_SUBCOMMAND,
    description: 'any command as you would type it in chat, e.g. "sync web to v2"',
    options: [{ type: OPTION.STRING, name: 'command', description: 'the command text', required: true }],
  };
  return [
    {
      name: commandName,
      type: 1,
      description: 'Wheelhouse: status, diffs, syncs, rollbacks, approvals',
      options: [...subcommands.slice(0, MAX_SUBCOMMANDS - 1), run],
    },
  ];
}

/** An option of a received interaction. */
export interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: InteractionOption[];
}

function quote(value: string): string {
  return /[\s"']/.test(value) || value === '' ? `"${value.replace(/["\\]/g, '\\$&')}"` : value;
}

function renderParts(
  parts: readonly SyntaxLike[],
  values: ReadonlyMap<string, string | number | boolean>,
): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part.kind === 'word') out.push(part.word);
    else if (part.kind === 'optional') {
      const inner = renderParts(part.parts, values);
      const anyArg = inner.length > part.parts.filter((p) => p.kind === 'word').length;
      if (anyArg) out.push(...inner);
    } else {
      const value = values.get(optionName(part.name));
      if (value === undefined) continue;
      // Free text and KEY=VALUE lists are passed as the person typed them.
      out.push(part.rest ? String(value) : quote(String(value)));
    }
  }
  return out;
}

/**
 * The chat text for an interaction's subcommand and options (`scale web web 3`), or undefined
 * when the subcommand is not in the catalog (the registered commands are out of date).
 */
export function interactionText(
  specs: readonly CommandSpec[],
  options: readonly InteractionOption[] | undefined,
): string | undefined {
  const sub = options?.find((o) => o.type === OPTION.SUB_COMMAND);
  if (!sub) return undefined;
  const values = new Map<string, string | number | boolean>();
  for (const option of sub.options ?? [])
    if (option.value !== undefined) values.set(option.name, option.value);
  if (sub.name === RUN_SUBCOMMAND) {
    const text = values.get('command');
    return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
  }
  const spec = specs.find((s) => optionName(s.name) === sub.name);
  if (!spec) return undefined;
  const words = [spec.name, ...renderParts(spec.syntax, values)];
  for (const flag of spec.flags ?? []) {
    const value = values.get(optionName(flag.name));
    if (flag.type === 'boolean' && value === true) words.push(`--${flag.name}`);
    if (flag.type === 'int' && typeof value === 'number') words.push(`--${flag.name}`, String(value));
  }
  return words.join(' ');
}
