/**
 * Slack's message text format: `&`, `<` and `>` are escaped, and `<...>` holds mentions
 * (`<@U123>`), channels (`<#C123|ops>`), special mentions (`<!here>`) and links (`<https://x|x>`).
 */

/** Escape text for Slack (mrkdwn and plain): only `&`, `<` and `>` are control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A person's Slack message as the words they typed: mentions of the bot removed, other mentions,
 * channels and links turned back into what was shown, entities unescaped.
 */
export function slackToPlain(text: string, botUserId?: string): string {
  const out = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      if (botUserId !== undefined && id === botUserId) return ' ';
      return `@${label ?? id}`;
    }
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) {
      const special = target.slice(1).split('^')[0] ?? '';
      return label ?? `@${special}`;
    }
    if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
    return target;
  });
  return unescapeSlack(out).replace(/\s+/g, ' ').trim();
}

/** A leading mention of any user (`<@U0BOT> status`): an app_mention starts with the bot's. */
export function leadingMention(text: string): string | undefined {
  return /^\s*<@([A-Z0-9]+)(?:\|[^>]*)?>/.exec(text)?.[1];
}
