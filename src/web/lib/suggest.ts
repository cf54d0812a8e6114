/** Command suggestions for the chat composer, from the command catalog (`GET /api/v1/chat/commands`). Pure. */

export interface CommandEntry {
  name: string;
  aliases?: readonly string[];
  usage: string;
  summary: string;
}

export interface Suggestion {
  /** What the input becomes when the suggestion is taken. */
  value: string;
  /** What the list shows. */
  label: string;
  detail: string;
}

/** The words people may put before a command on any platform. */
const PREFIX = /^(?:!wh|\/wh|wh|@wheelhouse)\s+/i;

/**
 * Suggestions for what has been typed so far: command names (and aliases) while the first word
 * is typed; app names while an `<app>` argument is typed; nothing once the text has more.
 */
export function suggest(
  input: string,
  commands: readonly CommandEntry[],
  apps: readonly string[] = [],
  max = 8,
): Suggestion[] {
  const prefixMatch = PREFIX.exec(input);
  const prefix = prefixMatch ? prefixMatch[0] : '';
  const text = input.slice(prefix.length);
  if (text.trim() === '' && input !== '') return [];
  const words = text.split(/\s+/);
  if (words.length <= 1) {
    const typed = (words[0] ?? '').toLowerCase();
    const out: Suggestion[] = [];
    for (const command of commands) {
      const names = [command.name, ...(command.aliases ?? [])];
      const hit = names.find((n) => n.toLowerCase().startsWith(typed));
      if (hit === undefined) continue;
      out.push({ value: `${prefix}${command.name} `, label: command.usage, detail: command.summary });
    }
    return out.slice(0, max);
  }
  // The second word: an app, when the command's first argument is one.
  if (words.length === 2) {
    const commandWord = (words[0] ?? '').toLowerCase();
    const command = commands.find((c) => c.name === commandWord || (c.aliases ?? []).includes(commandWord));
    if (!command || !/^\S+ [[<]app[\]>]/.test(command.usage)) return [];
    const typed = (words[1] ?? '').toLowerCase();
    return apps
      .filter((app) => app.toLowerCase().startsWith(typed) && app.toLowerCase() !== typed)
      .slice(0, max)
      .map((app) => ({
        value: `${prefix}${words[0]} ${app} `,
        label: `${words[0]} ${app}`,
        detail: command.usage,
      }));
  }
  return [];
}

/** The usage line of the command being typed, to show under the input; undefined when none. */
export function usageHint(input: string, commands: readonly CommandEntry[]): string | undefined {
  const text = input.replace(PREFIX, '');
  const first = text.split(/\s+/)[0]?.toLowerCase();
  if (!first || !/\s/.test(text)) return undefined;
  const command = commands.find((c) => c.name === first || (c.aliases ?? []).includes(first));
  return command?.usage;
}
