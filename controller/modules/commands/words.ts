/**
 * Splits a free-form command into words the way a POSIX shell would read them, without expanding anything:
 * quotes group, backslashes escape, nothing else is special (no globs, variables or operators).
 */

/** The words of a command line, or why it could not be split. */
export type Split = { ok: true; words: string[] } | { ok: false; error: string };

/** Splits `text` into words: 'single' quotes are literal, "double" quotes honour \" and \\, a bare \ escapes the next character. */
export function splitWords(text: string): Split {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, error: 'No escaped character' };
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: 'No closing quotation' };
  if (inWord) words.push(word);
  return { ok: true, words };
}
