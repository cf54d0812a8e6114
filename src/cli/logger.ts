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
    messageFormat: (log: Record<string, unknown>, messageKey: string) =>
      escapeControl(String(log[messageKey] ?? '')),
    sync: true,
    destination,
  });
  return pino(base, stream);
}
