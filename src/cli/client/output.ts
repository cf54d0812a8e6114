/** Terminal output: colour only on a terminal (never with NO_COLOR), aligned tables, short times. */
import { escapeControl } from '../../util/index.js';

export interface Palette {
  readonly enabled: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export interface Output {
  readonly color: Palette;
  /** True when stdout is a terminal (spinners, in-place updates). */
  readonly tty: boolean;
  line(text?: string): void;
  error(text: string): void;
  json(value: unknown): void;
}

export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** The SGR parameters `palette` writes; with colour on, only these pass `line` and `error` unescaped. */
export const PALETTE_SGR: ReadonlySet<string> = new Set(['1', '2', '22', '31', '32', '33', '36', '39']);

/**
 * What reaches the terminal: text from the server (Git, locks, chat, workloads) with every control
 * character but newline and tab shown visibly; the palette's own colours pass when colour is on.
 */
export function terminalText(text: string, colour: boolean): string {
  return colour ? escapeControl(text, { colours: PALETTE_SGR }) : escapeControl(text);
}

export function createOutput(
  stdout: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Output {
  const colour = colorEnabled(stdout, env);
  return {
    color: palette(colour),
    tty: stdout.isTTY === true,
    line: (text = '') => void stdout.write(`${terminalText(text, colour)}\n`),
    error: (text) => void stderr.write(`${terminalText(text, colour)}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  color: Palette,
): string {
  const widths = headers.map((h, i) =>
    Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [color.bold(render(headers)), ...rows.map(render)].join('\n');
}

/** `3m ago`, `2h ago`, `5d ago`; the ISO date when it cannot be parsed. */
export function ago(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '-';
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** `1.2s`, `3m04s` */
export function duration(fromIso: string | undefined, toIso: string | undefined): string {
  if (!fromIso || !toIso) return '-';
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export { shortSha } from '../../util/short-sha.js';

const HEALTH_MARK: Record<string, string> = {
  Healthy: '✓',
  Suspended: '‖',
  Progressing: '…',
  Missing: '?',
  Degraded: '✗',
  Unknown: '·',
};

/** Health as mark + word, coloured by how bad it is (reads without colour too). */
export function healthText(status: string, color: Palette): string {
  const text = `${HEALTH_MARK[status] ?? '·'} ${status}`;
  if (status === 'Healthy') return color.green(text);
  if (status === 'Progressing' || status === 'Suspended') return color.yellow(text);
  if (status === 'Missing' || status === 'Degraded') return color.red(text);
  return color.dim(text);
}

export function syncText(status: string, color: Palette): string {
  if (status === 'Synced') return color.green(status);
  if (status === 'OutOfSync') return color.yellow(status);
  return color.dim(status);
}

export function resultText(result: string, color: Palette): string {
  if (result === 'succeeded') return color.green(result);
  if (result === 'failed') return color.red(result);
  if (result === 'running') return color.cyan(result);
  return color.yellow(result);
}
