/**
 * The grammar of a command, as data: it drives parsing, usage lines and `help`.
 * `sync <app> [to <rev>]` is `[arg('app'), optional(word('to'), arg('rev'))]`.
 */
export type ArgType = 'word' | 'int' | 'kv';

export type SyntaxPart =
  | { kind: 'word'; word: string }
  | {
      kind: 'arg';
      name: string;
      type: ArgType;
      /** For `int`: inclusive bounds. */
      min?: number;
      max?: number;
      /** Takes every remaining word: a list, or (with `join`) one text. */
      rest?: 'list' | 'text';
      /** Shown in help: `the app's name`. */
      describe?: string;
      /** `KEY=VALUE` instead of `<kv>`; how the usage line shows it. */
      display?: string;
      /** The name the action call carries it under, when not `name` (`n` → `replicas`). */
      action?: string;
    }
  | { kind: 'optional'; parts: SyntaxPart[] };

export interface FlagSpec {
  name: string;
  type: 'boolean' | 'int';
  min?: number;
  max?: number;
  /** For `int` flags: the value's name in usage, `N`. */
  value?: string;
  describe: string;
}

export const word = (value: string): SyntaxPart => ({ kind: 'word', word: value });

export const arg = (
  name: string,
  options: {
    type?: ArgType;
    min?: number;
    max?: number;
    rest?: 'list' | 'text';
    describe?: string;
    display?: string;
    action?: string;
  } = {},
): SyntaxPart => ({ kind: 'arg', name, type: options.type ?? 'word', ...options });

export const optional = (...parts: SyntaxPart[]): SyntaxPart => ({ kind: 'optional', parts });

export function usageOf(name: string, parts: readonly SyntaxPart[], flags: readonly FlagSpec[] = []): string {
  const render = (list: readonly SyntaxPart[], bare: boolean): string =>
    list
      .map((part) => {
        if (part.kind === 'word') return part.word;
        if (part.kind === 'optional') return `[${render(part.parts, part.parts.length === 1)}]`;
        const shown = part.display ?? (bare ? part.name : `<${part.name}>`);
        return part.rest === 'list' ? `${shown}...` : shown;
      })
      .join(' ');
  const flagText = flags.map((f) =>
    f.type === 'boolean' ? `[--${f.name}]` : `[--${f.name} ${f.value ?? 'N'}]`,
  );
  return [name, render(parts, false), ...flagText].filter((s) => s !== '').join(' ');
}
