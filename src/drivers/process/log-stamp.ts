import type { LogLine } from '../../core/index.js';

/** `2026-12-04T16:08:08.123Z text`: how the log pump (log-pump-main.ts) writes every line. */
const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ([\s\S]*)$/;

/** The time and text of a line the pump wrote; a line without a stamp (an older file) is all text. */
export function unstamp(line: string): { at?: string; text: string } {
  const match = STAMPED.exec(line);
  return match?.[1] !== undefined && match[2] !== undefined
    ? { at: match[1], text: match[2] }
    : { text: line };
}

/** One line read from a log file as the API shows it (time when stamped, no carriage return). */
export function logLineOf(
  from: { stream: LogLine['stream']; source: string; stamped: boolean },
  raw: string,
): LogLine {
  const { at, text } = from.stamped ? unstamp(raw) : { text: raw };
  const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
  return { ...(at ? { at } : {}), stream: from.stream, source: from.source, text: clean };
}

/**
 * Lines of several streams in the order they were written: by time, stably (lines of one stream
 * keep their order; lines without a time keep their place before the timed ones).
 */
export function byTime(lines: readonly LogLine[]): LogLine[] {
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => compare(a.line.at ?? '', b.line.at ?? '') || a.i - b.i)
    .map(({ line }) => line);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
