/**
 * Host patterns as written in `hosts:` and `--limit`: terms separated by `:` (or `,`, or spaces), each a
 * name, a glob (`web*`), or a regex (`~web\d+`), optionally prefixed by `&` (intersection) or `!`
 * (exclusion) and followed by a subscript (`web[0]`, `web[-1]`, `web[0:2]`).
 */
import { MusterError } from '../../shared/errors.js';

/** One term of a pattern. */
export interface PatternTerm {
  op: 'union' | 'and' | 'not';
  /** the name, glob or `~regex`, prefix and subscript removed */
  expr: string;
  /** tests a host or group name */
  match: (name: string) => boolean;
  /** whether `expr` can match more than one name by itself (glob or regex) */
  wild: boolean;
  /** `[i]` (end undefined) or `[start:end]` inclusive; end -1 means "to the last" */
  subscript?: { start: number; end?: number };
}

/** Parses a whole pattern into terms in evaluation order: unions, then intersections, then exclusions. */
export function parsePattern(pattern: string): PatternTerm[] {
  const terms = splitPattern(pattern).map((t) => parseTerm(t, pattern));
  const order = { union: 0, and: 1, not: 2 } as const;
  const sorted = terms.sort((a, b) => order[a.op] - order[b.op]);
  // `!web` alone means "everything but web", as in Ansible.
  return sorted[0].op === 'union' ? sorted : [parseTerm('all', pattern), ...sorted];
}

/** Splits a pattern into its terms; colons inside `[...]` and in IPv6 addresses do not separate. */
export function splitPattern(pattern: string): string[] {
  const text = pattern.trim();
  if (/^[0-9a-fA-F:.]+$/.test(text) && (text.includes('::') || text.split(':').length === 8)) return [text];
  // With commas present, colons belong to the terms only inside a regex (as in Ansible, commas then rule).
  const commas = text.includes(',');
  const terms: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of text) {
    const regex = /^[&!]?~/.test(cur);
    const sep = depth === 0 && (c === ',' || (c === ':' && !(commas && regex)) || (/\s/.test(c) && !regex));
    if (sep) {
      terms.push(cur);
      cur = '';
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']' && depth > 0) depth--;
    cur += c;
  }
  terms.push(cur);
  const out = terms.map((t) => t.trim()).filter(Boolean);
  if (!out.length) throw patternError(pattern, 'it names no hosts or groups', 'write a host, a group, `all`, or a glob like `web*`');
  return out;
}

function parseTerm(term: string, pattern: string): PatternTerm {
  const op = term.startsWith('&') ? 'and' : term.startsWith('!') ? 'not' : 'union';
  let expr = op === 'union' ? term : term.slice(1);
  if (!expr || expr.startsWith('&') || expr.startsWith('!')) {
    throw patternError(pattern, `"${term}" has no name after its operator`, 'write `a:&b` for hosts in both, `a:!b` for hosts of a that are not in b');
  }
  let subscript: PatternTerm['subscript'];
  if (!expr.startsWith('~')) {
    const m = /^(.+)\[(?:(-?\d+)|(\d+):(\d*))\]$/.exec(expr);
    if (m) {
      expr = m[1];
      subscript = m[2] !== undefined ? { start: Number(m[2]) } : { start: Number(m[3]), end: m[4] === '' ? -1 : Number(m[4]) };
    }
  }
  if (expr.startsWith('~')) return { op, expr, match: regexMatcher(expr.slice(1), pattern), wild: true, subscript };
  const wild = /[*?[]/.test(expr);
  return { op, expr, match: wild ? globMatcher(expr, pattern) : (name) => name === expr, wild, subscript };
}

/** A regex anchored at the start only, like Python's re.match that Ansible uses. */
function regexMatcher(source: string, pattern: string): (name: string) => boolean {
  try {
    const re = new RegExp(`^(?:${source})`);
    return (name) => re.test(name);
  } catch (e) {
    throw patternError(pattern, `"~${source}" is not a valid regular expression (${(e as Error).message})`, 'check the brackets and escapes after `~`');
  }
}

/** fnmatch-style glob: `*`, `?`, `[abc]`, `[!abc]`; the whole name must match. */
function globMatcher(glob: string, pattern: string): (name: string) => boolean {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') src += '.*';
    else if (c === '?') src += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + (glob[i + 1] === '!' ? 3 : 2));
      if (close < 0) throw patternError(pattern, `"${glob}" has a \`[\` that is never closed`, 'close it (`web[12]*`), or use a subscript like `web[0]`');
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      src += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^${src}$`);
  return (name) => re.test(name);
}

function patternError(pattern: string, what: string, hint: string): MusterError {
  return new MusterError('E_PATTERN', `bad host pattern "${pattern}": ${what}`, { hint });
}
