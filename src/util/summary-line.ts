/**
 * The first line of a long message (a crash loop's log tail, a list of render errors), cut to
 * `max` characters, with a marker when something was left out: for tables and one-line views.
 */
export function summaryLine(text: string, max = 160): string {
  const lines = text.split('\n');
  const first = lines.find((line) => line.trim() !== '')?.trim() ?? '';
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return lines.filter((line) => line.trim() !== '').length > 1 && !cut.endsWith('…') ? `${cut} …` : cut;
}
