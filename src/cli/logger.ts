import { pino } from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../core/index.js';
import { escapeControl } from '../util/index.js';

export type LogFormat = 'pretty' | 'json';

/**
 * The process-wide logger: readable lines on a terminal, JSON lines for machines. Secrets never
 * reach it (callers log names of env vars, never values); `redact` is a second line of defence.
 */
export function createLogger(options: {
  format: LogFormat;
  level?: string;
  destination?: NodeJS.WritableStream;
}): Logger {
  const base = {
    level: options.level ?? process.env.WHEELHOUSE_LOG_LEVEL ?? 'info',
    redact: {
      paths: ['*.password', '*.token', '*.secret', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  const destination = options.destination ?? process.stderr;
  if (options.format === 'json') return pino(base, destination as pino.DestinationStream);
  const stream = pretty({
    colorize: Boolean((destination as NodeJS.WriteStream).isTTY),
    translateTime: 'HH:MM:ss',
    ignore: 'pid,hostname',
    // People read the message; the structured fields stay in `--log-format json`.
    hideObject: true,
    // Messages quote Git, chat and workloads: their control characters are shown, not acted on.
    // The cause (`err`) is part of what a person reads: "cannot X" alone says nothing to act on.
    messageFormat: (log: Record<string, unknown>, messageKey: string) =>
      escapeControl(withCause(String(log[messageKey] ?? ''), log.err)),
    sync: true,
    destination,
  });
  return pino(base, stream);
}

/** `message: cause` for a logged `err` (a string, or an error serialized by pino). */
function withCause(message: string, err: unknown): string {
  const cause =
    typeof err === 'string'
      ? err
      : typeof err === 'object' && err !== null && 'message' in err
        ? String((err as { message: unknown }).message)
        : '';
  return cause && !message.includes(cause) ? `${message}: ${cause}` : message;
}
