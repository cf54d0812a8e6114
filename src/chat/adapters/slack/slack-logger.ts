import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../../core/index.js';

/**
 * Slack's libraries log through this bridge into Wheelhouse's logger. Their debug output (which
 * carries request bodies) is dropped; what they warn about keeps only the text.
 */
export function slackLogger(log: Logger): SlackLogger {
  const line = (parts: unknown[]) =>
    parts
      .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : String(p)))
      .join(' ')
      .slice(0, 500);
  return {
    debug: () => {},
    info: (...parts: unknown[]) => log.debug({ lib: 'slack' }, line(parts)),
    warn: (...parts: unknown[]) => log.warn({ lib: 'slack' }, line(parts)),
    error: (...parts: unknown[]) => log.error({ lib: 'slack' }, line(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
