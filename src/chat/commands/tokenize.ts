export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; error: string };

/**
 * Split a command into words. Double and single quotes group words (`lock web "db migration"`);
 * a backslash escapes the next character inside double quotes. Chat clients' smart quotes are
 * treated as plain quotes.
 */
export function tokenize(input: string): TokenizeResult {
  const source = input.replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'");
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (quote) {
      if (char === quote) {
        quote = undefined;
      } else if (char === '\\' && quote === '"' && i + 1 < source.length) {
        i++;
        current += source[i];
      } else {
        current += char;
      }
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quote) return { ok: false, error: `a ${quote} quote is not closed; close it or remove it` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}
