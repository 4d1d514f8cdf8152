/** `key=value key2="quoted value"` words, as lookup terms (sequence, password) write their options. */

/** The words split on spaces (quotes keep spaces), or undefined when a word is not key=value. */
export function parseKvWords(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const word of splitWords(text)) {
    const eq = word.indexOf('=');
    if (eq <= 0) return undefined;
    out[word.slice(0, eq)] = unquote(word.slice(eq + 1));
  }
  return out;
}

/** Splits on whitespace outside quotes. */
export function splitWords(text: string): string[] {
  return text.match(/(?:[^\s"']+|"(?:\\.|[^"])*"|'[^']*')+/g) ?? [];
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
