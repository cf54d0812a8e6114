import type { Logger } from '../../src/core/index.js';

export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  obj: Record<string, unknown>;
  msg: string;
}

/** A Logger that records every line (with child bindings) so tests can assert what was logged. */
export function captureLogger(): { logger: Logger; lines: CapturedLine[]; text(): string } {
  const lines: CapturedLine[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: CapturedLine['level']) =>
      (objOrMsg: Record<string, unknown> | string, msg?: string): void => {
        if (typeof objOrMsg === 'string') lines.push({ level, bindings, obj: {}, msg: objOrMsg });
        else lines.push({ level, bindings, obj: objOrMsg, msg: msg ?? '' });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return { logger: make({}), lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}
