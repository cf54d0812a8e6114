import { diffTextLines, withContext } from './line-diff.js';
import { pathSegments } from './path.js';
import { yamlEntry, yamlKey } from './yaml.js';

export interface FieldChangeLike {
  path: string;
  live?: unknown;
  desired?: unknown;
}

export interface ResourceChangeLike {
  kind: string;
  name: string;
  action: string;
  fields: readonly FieldChangeLike[];
  drift?: string;
}

/** One line of the desired-vs-live view: ` ` context, `-` live (removed), `+` desired (added), `!` drift. */
export interface DiffLine {
  sign: ' ' | '+' | '-' | '!';
  text: string;
}

function keyText(segment: string | number): string {
  return typeof segment === 'number' ? `[${segment}]` : yamlKey(segment);
}

function sameSegment(a: string | number | undefined, b: string | number | undefined): boolean {
  return a === b;
}

/**
 * A resource's changed fields as YAML, nested the way the manifest is: shared parent keys once,
 * then the live value as `-` lines and the desired value as `+` lines. Multi-line strings (file
 * contents) get a line diff with context.
 */
export function changeLines(change: ResourceChangeLike, context = 3): DiffLine[] {
  const out: DiffLine[] = [];
  let open: (string | number)[] = [];
  for (const field of change.fields) {
    const segments = pathSegments(field.path);
    const parents = segments.slice(0, -1);
    const last = segments.at(-1) ?? field.path;
    let common = 0;
    while (common < open.length && common < parents.length && sameSegment(open[common], parents[common]))
      common++;
    for (let depth = common; depth < parents.length; depth++) {
      out.push({ sign: ' ', text: `${' '.repeat(depth * 2)}${keyText(parents[depth] ?? '')}:` });
    }
    open = parents;
    const indent = parents.length * 2;
    const key = keyText(last);
    const hasLive = 'live' in field && field.live !== undefined;
    const hasDesired = 'desired' in field && field.desired !== undefined;
    const multiline = (v: unknown) => typeof v === 'string' && v.includes('\n');
    if (
      hasLive &&
      hasDesired &&
      typeof field.live === 'string' &&
      typeof field.desired === 'string' &&
      (multiline(field.live) || multiline(field.desired))
    ) {
      out.push({ sign: ' ', text: `${' '.repeat(indent)}${key}: |` });
      const split = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
      const pad = ' '.repeat(indent + 2);
      for (const op of withContext(diffTextLines(split(field.live), split(field.desired)), context)) {
        out.push(op === null ? { sign: ' ', text: `${pad}…` } : { sign: op.op, text: `${pad}${op.text}` });
      }
      continue;
    }
    if (hasLive) for (const text of yamlEntry(key, field.live, indent)) out.push({ sign: '-', text });
    if (hasDesired) for (const text of yamlEntry(key, field.desired, indent)) out.push({ sign: '+', text });
  }
  if (change.drift) out.push({ sign: '!', text: `drift: ${change.drift}` });
  return out;
}
