/** Splits a command string into words as a POSIX shell would (quotes and backslashes; no expansion). */

/** The words of `text`, or an error message when a quote is left open. */
export function shellWords(text: string): string[] | { error: string } {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'a single quote is never closed' };
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        // inside double quotes a backslash escapes only $ ` " \ and a newline
        if (text[j] === '\\' && j + 1 < text.length && '$`"\\\n'.includes(text[j + 1])) {
          if (text[j + 1] !== '\n') s += text[j + 1];
          j++;
        } else s += text[j];
      }
      if (j >= text.length) return { error: 'a double quote is never closed' };
      word = (word ?? '') + s;
      i = j;
    } else if (c === '\\') {
      // a backslash keeps the next character; before a newline it joins the lines
      if (i + 1 < text.length && text[i + 1] !== '\n') word = (word ?? '') + text[i + 1];
      i++;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
