/**
 * Ansible users write Python regular expressions and Python replacement templates (`\1`, `\g<name>`).
 * This translates the common Python-only syntax to JavaScript and expands templates the way Python's
 * match.expand and re.sub do.
 */
import { MusterError } from '../../../shared/errors.js';

const HINT = 'write the expression in Python syntax, as for Ansible (JavaScript-only syntax is not accepted)';

/** Compiles a Python-style pattern; `flags` are JS flags added to the ones written inline ((?i), (?m), (?s)). */
export function pyRegex(pattern: string, flags = ''): RegExp {
  let source = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  let all = flags;
  if (inline) {
    if (inline[1].includes('x')) throw new MusterError('E_MODULE', `verbose regular expressions (?x) are not supported: ${pattern}`, { hint: HINT });
    all += inline[1].replace(/[aLu]/g, '');
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(translate(source), [...new Set(all)].join(''));
  } catch (err) {
    throw new MusterError('E_MODULE', `invalid regular expression "${pattern}": ${(err as Error).message}`, { hint: HINT });
  }
}

/** Rewrites Python-only constructs: (?P<n>...), (?P=n), \A, \Z. Character classes are copied as they are. */
function translate(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const next = src[i + 1] ?? '';
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?![\\s\\S])';
      else out += c + next;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // Python reads a leading ] (or ^]) as a literal; JavaScript would close the class, so escape it
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      if (end < 0) return out + src.slice(i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
    } else out += c;
  }
  return out;
}

/** Groups of one match: numbered (0 = whole match) and named. */
export interface MatchGroups {
  numbered: (string | undefined)[];
  named: Record<string, string | undefined>;
}

/** The groups of a RegExpExecArray. */
export function groupsOf(m: RegExpExecArray): MatchGroups {
  return { numbered: [...m], named: { ...(m.groups ?? {}) } };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Expands a Python replacement template (`\1`, `\g<1>`, `\g<name>`, `\n`...) against a match. */
export function expandTemplate(template: string, g: MatchGroups): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '\\' || i === template.length - 1) {
      out += c;
      continue;
    }
    const next = template[i + 1];
    const named = /^g<([^>]*)>/.exec(template.slice(i + 1));
    const digits = /^[0-9]{1,2}/.exec(template.slice(i + 1));
    if (named) {
      out += groupValue(named[1], g, template);
      i += named[0].length;
    } else if (digits) {
      out += groupValue(digits[0], g, template);
      i += digits[0].length;
    } else if (next in ESCAPES) {
      out += ESCAPES[next];
      i++;
    } else if (/[A-Za-z]/.test(next)) {
      throw new MusterError('E_MODULE', `bad escape \\${next} in replacement "${template}"`, { hint: 'write a literal backslash as \\\\' });
    } else {
      out += c + next;
      i++;
    }
  }
  return out;
}

function groupValue(ref: string, g: MatchGroups, template: string): string {
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    if (n >= g.numbered.length) throw new MusterError('E_MODULE', `invalid group reference ${ref} in "${template}"`, { hint: HINT });
    return g.numbered[n] ?? '';
  }
  if (!(ref in g.named)) throw new MusterError('E_MODULE', `unknown group name "${ref}" in "${template}"`, { hint: HINT });
  return g.named[ref] ?? '';
}

/** re.subn: replaces every match of a global regex with an expanded template; returns the text and the count. */
export function substitute(re: RegExp, template: string, text: string): { text: string; count: number } {
  const global = re.global ? re : new RegExp(re.source, re.flags + 'g');
  let count = 0;
  const result = text.replace(global, (...args: unknown[]) => {
    count++;
    const hasNamed = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const end = args.length - (hasNamed ? 3 : 2);
    const named = hasNamed ? (args[args.length - 1] as Record<string, string | undefined>) : {};
    return expandTemplate(template, { numbered: args.slice(0, end) as (string | undefined)[], named: { ...named } });
  });
  return { text: result, count };
}
