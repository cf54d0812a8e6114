/** The little inline markup bot messages use: `code` spans and *bold*. Everything else is text. Pure. */

export interface Span {
  type: 'text' | 'code' | 'bold';
  text: string;
}

export function inlineSpans(text: string): Span[] {
  const out: Span[] = [];
  const pattern = /`([^`\n]+)`|\*([^*\n]+)\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ type: 'text', text: text.slice(last, at) });
    if (match[1] !== undefined) out.push({ type: 'code', text: match[1] });
    else out.push({ type: 'bold', text: match[2] ?? '' });
    last = at + match[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}
