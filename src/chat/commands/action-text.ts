import type { ActionCall, CommandDefinition } from './definition.js';
import type { SyntaxPart } from './syntax.js';

/**
 * An action the way a person would type it in chat: `{command: 'scale', args: {app: 'web',
 * process: 'web', replicas: 3}}` is `scale web web 3`. The one renderer for every surface that
 * shows an action (chat, approvals, the audit log, the dashboard), whichever surface started it;
 * it walks the command's syntax, so what it prints parses back to the same action.
 */
export function actionText(call: ActionCall, commands: readonly CommandDefinition[]): string {
  const definition = commands.find((c) => c.name === call.command);
  if (!definition) return [call.command, ...looseArgs(call.args)].join(' ');
  const words = [call.command, ...renderParts(definition.syntax, call.args)];
  for (const flag of definition.flags ?? []) {
    const value = flag.name === 'force' ? (call.force ?? call.args.force) : call.args[flag.name];
    if (flag.type === 'boolean' && value === true) words.push(`--${flag.name}`);
    if (flag.type === 'int' && typeof value === 'number') words.push(`--${flag.name}`, String(value));
  }
  return words.join(' ');
}

/** The words of `parts`; an optional group shows only when every argument in it has a value. */
function renderParts(parts: readonly SyntaxPart[], args: Readonly<Record<string, unknown>>): string[] {
  const words: string[] = [];
  for (const part of parts) {
    if (part.kind === 'word') words.push(part.word);
    else if (part.kind === 'optional') {
      if (argsOf(part.parts).every((name) => present(args[name])))
        words.push(...renderParts(part.parts, args));
    } else {
      const value = args[part.action ?? part.name];
      if (!present(value)) continue;
      if (part.type === 'kv' && typeof value === 'object' && value !== null) {
        words.push(...Object.entries(value).map(([key, v]) => `${key}=${quote(String(v))}`));
      } else if (Array.isArray(value)) words.push(...value.map((v) => quote(String(v))));
      else if (part.rest === 'text') words.push(String(value));
      else words.push(quote(String(value)));
    }
  }
  return words;
}

function argsOf(parts: readonly SyntaxPart[]): string[] {
  return parts.flatMap((part) => {
    if (part.kind === 'arg') return [part.action ?? part.name];
    return part.kind === 'optional' ? argsOf(part.parts) : [];
  });
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A word as the chat tokenizer reads it back: quoted when it holds spaces or quotes. */
function quote(word: string): string {
  if (word !== '' && !/[\s"'\\]/.test(word)) return word;
  return `"${word.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** For an action no command describes: `name key=value ...`, still no JSON. */
function looseArgs(args: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(args)
    .filter(([, value]) => present(value))
    .map(([key, value]) => `${key}=${quote(typeof value === 'string' ? value : JSON.stringify(value))}`);
}
