/** Compose variable interpolation (`$VAR`, `${VAR:-default}`, `${VAR:?message}`, `$$`...) over a parsed stack file. */
import { MusterError, type Pos } from '../../shared/errors.js';
import { copyPos, posOf } from '../../shared/yaml.js';
import type { StackWarning } from './types.js';

/** The variables a stack file sees: the process environment over `.env`. Undefined = unset. */
export type Env = Record<string, string | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const ESCAPE_HINT = 'write $$ for a literal $';

/** Where a string came from and where to say what happened to it. */
export interface InterpolateSite {
  pos?: Pos;
  /** `services.web.image`, for messages */
  path?: string;
  /** called once per unset variable used without a default */
  warn: (w: StackWarning) => void;
}

/** Interpolates one string as Compose does; unset variables without a default become "" with a warning. */
export function interpolate(text: string, env: Env, site: InterpolateSite): string {
  if (!text.includes('$')) return text;
  return expand(text, env, site);
}

function expand(text: string, env: Env, site: InterpolateSite): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const d = text.indexOf('$', i);
    if (d < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, d);
    const next = text[d + 1];
    if (next === '$') {
      out += '$';
      i = d + 2;
    } else if (next === '{') {
      const end = closingBrace(text, d + 2);
      if (end < 0) throw bad(text, site, 'a `${` without its closing `}`');
      out += braced(text.slice(d + 2, end), text, env, site);
      i = end + 1;
    } else {
      const m = NAME.exec(text.slice(d + 1));
      if (!m) throw bad(text, site, next === undefined ? 'a `$` at the end' : `\`$${next}\` is not a variable`);
      out += lookup(m[0], env, site) ?? '';
      i = d + 1 + m[0].length;
    }
  }
  return out;
}

// The index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`; -1 if none.
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

// The body of `${...}`: a name, then nothing or an operator and its (lazily expanded) word.
function braced(body: string, whole: string, env: Env, site: InterpolateSite): string {
  const m = NAME.exec(body);
  if (!m) throw bad(whole, site, `\`\${${body}}\` does not start with a variable name`);
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env, site) ?? '';
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) throw bad(whole, site, `\`\${${body}}\`: \`${rest[0]}\` after the name is not one of :- - :? ? :+ +`);
  const word = rest.slice(op.length);
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? value : expand(word, env, site);
    case '-':
      return set ? value : expand(word, env, site);
    case ':+':
      return nonEmpty ? expand(word, env, site) : '';
    case '+':
      return set ? expand(word, env, site) : '';
    default: {
      if (op === ':?' ? nonEmpty : set) return value as string;
      const said = expand(word, env, site);
      throw new MusterError('E_SCHEMA', `required variable ${name} is missing a value${said ? `: ${said}` : ''}${where(site)}`, {
        pos: site.pos,
        hint: `set ${name} in the environment or in the .env file beside the stack file`,
      });
    }
  }
}

function lookup(name: string, env: Env, site: InterpolateSite): string | undefined {
  const v = env[name];
  if (v === undefined) site.warn({ message: `The "${name}" variable is not set. Defaulting to a blank string.`, pos: site.pos });
  return v;
}

function where(site: InterpolateSite): string {
  return site.path ? ` (in ${site.path})` : '';
}

function bad(text: string, site: InterpolateSite, why: string): MusterError {
  return new MusterError('E_SCHEMA', `invalid interpolation format in "${text}"${where(site)}: ${why}`, { pos: site.pos, hint: ESCAPE_HINT });
}

/**
 * A copy of a parsed stack file with every string value interpolated (keys are not, as in Compose), the
 * positions kept; one warning per unset variable (at its first use).
 */
export function interpolateTree(doc: unknown, env: Env, file: string): { doc: unknown; warnings: StackWarning[] } {
  const warnings: StackWarning[] = [];
  const seen = new Set<string>();
  const warn = (w: StackWarning): void => {
    if (seen.has(w.message)) return;
    seen.add(w.message);
    warnings.push(w);
  };
  const walk = (value: unknown, pos: Pos | undefined, path: string): unknown => {
    if (typeof value === 'string') return interpolate(value, env, { pos, path, warn });
    if (Array.isArray(value))
      return copyPos(
        value,
        value.map((v, i) => walk(v, posOf(value, i), `${path}[${i}]`)),
      );
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, posOf(value, k), path ? `${path}.${k}` : k);
      return copyPos(value, out);
    }
    return value;
  };
  return { doc: walk(doc, { file, line: 1, col: 1 }, ''), warnings };
}
