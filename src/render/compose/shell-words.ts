/**
 * Split a command line into words the way a POSIX shell would quote them (compose does the same
 * for string `command:` and `entrypoint:`); nothing is expanded and no shell ever runs it.
 * Returns an error message for an unterminated quote.
 */
export function shellWords(line: string): string[] | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: 'has a single quote that is never closed' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      let closed = false;
      while (i < line.length) {
        const c = line.charAt(i);
        if (c === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line.charAt(i + 1))) {
          word += line.charAt(i + 1);
          i += 2;
        } else {
          word += c;
          i += 1;
        }
      }
      if (!closed) return { error: 'has a double quote that is never closed' };
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line.charAt(i + 1);
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else {
      word += ch;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}
