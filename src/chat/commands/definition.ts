import type { Actions, Identity } from '../../access/index.js';
import type { ChatMessage, ControlConfig, Engine, SourceProvider, Store } from '../../core/index.js';
import type { ImagesResponse } from '../../wire/index.js';
import type { ParsedCommand } from './parse.js';
import type { FlagSpec, SyntaxPart } from './syntax.js';

/** What a read command may use to answer. */
export interface CommandContext {
  engine: Engine;
  store: Store;
  source?: SourceProvider;
  config: ControlConfig;
  identity: Identity;
  actions: Actions;
  commands: readonly CommandDefinition[];
  /** Applied to everything shown. */
  redact: (text: string) => string;
  now: () => Date;
  /** The image policies and their last checks (`images` in chat); absent: none are watched. */
  images?: () => ImagesResponse['images'];
}

/** A request for the actions service (authorize → approval gate → lock → execute → audit). */
export interface ActionCall {
  command: string;
  args: Record<string, unknown>;
  force?: boolean;
}

interface Common {
  name: string;
  aliases?: string[];
  /** How `help` groups it. */
  group: 'read' | 'operate' | 'git';
  /** One line for `help`. */
  summary: string;
  syntax: SyntaxPart[];
  flags?: FlagSpec[];
  examples?: string[];
  /** More about it for `help <command>`. */
  details?: string;
  /** Answered from memory at once: no "on it" placeholder before the answer. */
  quick?: boolean;
}

export type CommandDefinition =
  | (Common & {
      kind: 'read';
      /** The app it reads about, for the access check (absent: about no single app). */
      app?(command: ParsedCommand): string | undefined;
      answer(ctx: CommandContext, command: ParsedCommand): Promise<ChatMessage>;
    })
  | (Common & {
      kind: 'action';
      toAction(command: ParsedCommand): ActionCall;
    })
  | (Common & {
      kind: 'decision';
      decision: 'approve' | 'deny';
    });

/** Typed access to a parsed argument. */
export function argString(command: ParsedCommand, name: string): string | undefined {
  const value = command.args[name];
  return typeof value === 'string' ? value : undefined;
}

export function argNumber(command: ParsedCommand, name: string): number | undefined {
  const value = command.args[name] ?? command.flags[name];
  return typeof value === 'number' ? value : undefined;
}
