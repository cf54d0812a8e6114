import { shortSha } from '../../util/short-sha.js';

/**
 * A request as a person would type it: `sync api to 3f2a9c1` rather than the API's rendering
 * `sync {"app":"api","revision":"3f2a9c1…"}`. Pure.
 *
 * The server renders every action's text itself now (chat/commands/action-text.ts, the one
 * renderer); this only reads audit entries and approvals recorded before it did, which the store
 * keeps as they were written.
 */

function shortValue(value: unknown): string {
  if (typeof value === 'string') return shortSha(value, value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${shortValue(v)}`)
      .join(' ');
  }
  if (Array.isArray(value)) return value.map(shortValue).join(' ');
  return '';
}

/** The command and its arguments in reading order: the app first, `to <revision>` last. */
export function commandText(command: string, args: Record<string, unknown>): string {
  const words = [command];
  if (typeof args.app === 'string') words.push(args.app);
  for (const [key, value] of Object.entries(args)) {
    if (key === 'app' || key === 'revision' || value === undefined || value === '') continue;
    const text = shortValue(value);
    if (text) words.push(text);
  }
  if (typeof args.revision === 'string') words.push('to', shortValue(args.revision));
  return words.join(' ');
}

/** `sync {"app":"web"}` (how the HTTP API records a request) as `sync web`; other text as it is. */
export function readableCommand(text: string): string {
  const match = /^([a-z][\w-]*) (\{.*\})$/s.exec(text.trim());
  if (!match?.[1] || !match[2]) return text;
  try {
    const args = JSON.parse(match[2]) as unknown;
    if (!args || typeof args !== 'object' || Array.isArray(args)) return text;
    return commandText(match[1], args as Record<string, unknown>);
  } catch {
    return text;
  }
}
