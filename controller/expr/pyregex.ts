/** Python `re` patterns and replacement strings, as Ansible's regex filters and tests take them, in JS form. */

/** A pattern that Python accepts and JS does not, or that neither accepts. */
export class RegexProblem extends Error {}

const cache = new Map<string, RegExp>();

/** Compiles a Python pattern: `(?P<n>..)`, `(?P=n)`, leading `(?i)`-style flags, `\A` and `\Z`. */
export function pyRegex(pattern: string, flags = '', anchored = false): RegExp {
  const key = `${flags}/${anchored}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let src = pattern;
  let f = flags;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const c of inline[1]) if ('ims'.includes(c) && !f.includes(c)) f += c;
  }
  src = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  if (anchored) src = `^(?:${src})`;
  let re: RegExp;
  try {
    re = new RegExp(src, f.includes('u') ? f : `${f}u`);
  } catch {
    try {
      // the u flag rejects escapes Python allows (`\-` outside a class); retry without it
      re = new RegExp(src, f);
    } catch (e) {
      throw new RegexProblem(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** A Python replacement (`\1`, `\g<1>`, `\g<name>`) as a JS replacement string (`$1`, `$<name>`). */
export function pyReplacement(repl: string): string {
  return repl.replace(/\$/g, '$$$$').replace(/\\(?:(\d{1,2})|g<(\d+)>|g<([A-Za-z_]\w*)>|(\\))/g, (_m, n, gn, name, bs) => {
    if (bs) return '\\';
    if (name) return `$<${name}>`;
    return `$${n ?? gn}`;
  });
}
