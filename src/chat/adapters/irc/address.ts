/**
 * Is a line for the bot, and what is the command? In a channel only lines that start with the
 * prefix (`!wh status`) or address the bot by nick (`wheelhouse: status`, `@wheelhouse status`)
 * are commands — everything else is people talking. In a private message every line is one.
 */
export interface AddressOptions {
  nick: string;
  prefix: string;
  /** A private message to the bot (not a channel). */
  direct: boolean;
  /** The server's case mapping, for comparing nicks. */
  lower(value: string): string;
}

function afterPrefix(text: string, options: AddressOptions): string | undefined {
  const lowered = text.toLowerCase();
  const prefix = options.prefix.toLowerCase();
  if (
    lowered.startsWith(prefix) &&
    (text.length === prefix.length || /\s/.test(text.charAt(prefix.length)))
  ) {
    return text.slice(prefix.length);
  }
  const at = text.startsWith('@') ? 1 : 0;
  const head = text.slice(at, at + options.nick.length);
  if (options.lower(head) === options.lower(options.nick)) {
    const next = text.charAt(at + options.nick.length);
    // `nick: cmd`, `nick, cmd`; with `@nick` a space is enough.
    if (next === ':' || next === ',' || (at === 1 && (next === '' || /\s/.test(next)))) {
      return text.slice(at + options.nick.length + (next === ':' || next === ',' ? 1 : 0));
    }
  }
  return undefined;
}

/** The command text, or undefined when the line is not for the bot. A bare address means `help`. */
export function addressedCommand(text: string, options: AddressOptions): string | undefined {
  const trimmed = text.trim();
  const rest = afterPrefix(trimmed, options);
  if (rest === undefined && !options.direct) return undefined;
  const command = (rest ?? trimmed).trim();
  return command === '' ? 'help' : command;
}

/** The command's first word, lower-cased (`Status web` → `status`). */
export function commandWord(command: string): string {
  return (command.split(/\s+/)[0] ?? '').toLowerCase();
}
