/** String filters: case, trimming, replacing, regexes, paths, shell quoting, printf-style formatting. */
import { posix } from 'node:path';
import { quote } from '../../command.js';
import { pyRegex, pyReplacement, RegexProblem } from '../pyregex.js';
import { toBool, toInt, toStr, typeName } from '../values.js';
import type { CallCtx, Filter } from './types.js';

/** Compiles a pattern, turning a bad one into an error at the call. */
export function regexOrFail(ctx: CallCtx, pattern: unknown, flags = '', anchored = false): RegExp {
  try {
    return pyRegex(toStr(pattern), flags, anchored);
  } catch (e) {
    if (e instanceof RegexProblem) ctx.fail(e.message, 'regexes use Python syntax; check brackets and escapes');
    throw e;
  }
}

function reFlags(ignorecase: unknown, multiline: unknown, global = false): string {
  return `${global ? 'g' : ''}${toBool(ignorecase) ? 'i' : ''}${toBool(multiline) ? 'm' : ''}`;
}

const s = toStr;

/** Python's str.split: no separator splits on runs of whitespace and drops empty ends. */
export function pySplit(text: string, sep?: unknown, maxsplit = -1): string[] {
  if (sep === undefined || sep === null) {
    const words = text
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    if (maxsplit < 0 || words.length <= maxsplit + 1) return words;
    const out: string[] = [];
    let rest = text.trimStart();
    for (let i = 0; i < maxsplit; i++) {
      const m = /^(\S+)\s+/.exec(rest)!;
      out.push(m[1]);
      rest = rest.slice(m[0].length);
    }
    return [...out, rest];
  }
  const parts = text.split(s(sep));
  return maxsplit < 0 || parts.length <= maxsplit + 1 ? parts : [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(s(sep))];
}

/** Python's `%` formatting for the common conversions: %s %d %i %f %x %o %r %% with width and precision. */
export function percentFormat(ctx: CallCtx, fmt: string, args: unknown[]): string {
  let i = 0;
  const out = fmt.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdifrxXo%])/g, (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (i >= args.length) ctx.fail(`not enough arguments for the format string ${JSON.stringify(fmt)}`);
    const v = args[i++];
    let text: string;
    if (conv === 's' || conv === 'r') text = conv === 'r' && typeof v === 'string' ? `'${v}'` : s(v);
    else if (conv === 'f') text = Number(v).toFixed(prec === undefined ? 6 : Number(prec));
    else if (conv === 'x' || conv === 'X' || conv === 'o') {
      text = toInt(v).toString(conv === 'o' ? 8 : 16);
      if (conv === 'X') text = text.toUpperCase();
    } else text = String(toInt(v));
    const w = Number(width || 0);
    if (text.length >= w) return text;
    if (flags.includes('-')) return text.padEnd(w);
    return flags.includes('0') && conv !== 's' ? text.padStart(w, '0') : text.padStart(w);
  });
  if (i < args.length) ctx.fail(`too many arguments for the format string ${JSON.stringify(fmt)}`);
  return out;
}

function title(text: string): string {
  return text.toLowerCase().replace(/(^|[^A-Za-z0-9'])([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

/** Python's strip/lstrip/rstrip: whitespace, or any of `chars`. */
export function trimChars(text: string, chars: unknown, where: 'both' | 'start' | 'end'): string {
  if (chars === undefined || chars === null) return where === 'start' ? text.trimStart() : where === 'end' ? text.trimEnd() : text.trim();
  const set = s(chars);
  let a = 0;
  let b = text.length;
  if (where !== 'end') while (a < b && set.includes(text[a])) a++;
  if (where !== 'start') while (b > a && set.includes(text[b - 1])) b--;
  return text.slice(a, b);
}

/** Jinja and Ansible string filters. */
export const textFilters: Record<string, Filter> = {
  lower: { params: [], fn: (v) => s(v).toLowerCase() },
  upper: { params: [], fn: (v) => s(v).toUpperCase() },
  capitalize: { params: [], fn: (v) => s(v).charAt(0).toUpperCase() + s(v).slice(1).toLowerCase() },
  title: { params: [], fn: (v) => title(s(v)) },
  trim: { params: ['chars'], fn: (v, [chars]) => trimChars(s(v), chars, 'both') },
  string: { params: [], fn: (v) => s(v) },
  replace: {
    params: ['old', 'new', 'count'],
    fn: (v, [old, rep, count]) => {
      const parts = s(v).split(s(old));
      const n = count === undefined || count === null ? parts.length : toInt(count) + 1;
      return parts.slice(0, n).join(s(rep)) + (n < parts.length ? s(old) + parts.slice(n).join(s(old)) : '');
    },
  },
  regex_replace: {
    params: ['pattern', 'replacement', 'ignorecase', 'multiline'],
    fn: (v, [pattern, replacement, ic, ml], ctx) => s(v).replace(regexOrFail(ctx, pattern, reFlags(ic, ml, true)), pyReplacement(s(replacement ?? ''))),
  },
  regex_search: {
    params: ['pattern'],
    variadic: true,
    kwargs: true,
    fn: (v, [pattern, ...groups], ctx, kw) => {
      const m = regexOrFail(ctx, pattern, reFlags(kw.ignorecase, kw.multiline)).exec(s(v));
      if (!m) return null;
      if (!groups.length) return m[0];
      return groups.map((g) => {
        const ref = /^\\(?:(\d+)|g<(\w+)>)$/.exec(s(g));
        if (!ref) return ctx.fail(`regex_search group ${JSON.stringify(g)} must look like '\\1' or '\\g<name>'`);
        return ref[1] !== undefined ? (m[Number(ref[1])] ?? null) : (m.groups?.[ref[2]] ?? null);
      });
    },
  },
  regex_findall: {
    params: ['pattern', 'ignorecase', 'multiline'],
    fn: (v, [pattern, ic, ml], ctx) =>
      [...s(v).matchAll(regexOrFail(ctx, pattern, reFlags(ic, ml, true)))].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? m[1] : m.slice(1))),
  },
  regex_escape: { params: [], fn: (v) => s(v).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&') },
  split: { params: ['sep', 'maxsplit'], fn: (v, [sep, max]) => pySplit(s(v), sep, max === undefined ? -1 : toInt(max)) },
  quote: { params: [], fn: (v) => quote(s(v)) },
  basename: { params: [], fn: (v) => posix.basename(s(v)) },
  dirname: { params: [], fn: (v) => posix.dirname(s(v)) },
  splitext: {
    params: [],
    fn: (v) => {
      const ext = posix.extname(s(v));
      return [s(v).slice(0, s(v).length - ext.length), ext];
    },
  },
  path_join: {
    params: [],
    fn: (v, _a, ctx) => (Array.isArray(v) ? posix.join(...v.map(s)) : typeof v === 'string' ? v : ctx.fail(`path_join needs a list, got ${typeName(v)}`)),
  },
  indent: {
    params: ['width', 'first', 'blank'],
    fn: (v, [width, first, blank]) => {
      const pad = typeof width === 'string' ? width : ' '.repeat(toInt(width ?? 4));
      return s(v)
        .split('\n')
        .map((line, i) => ((i > 0 || toBool(first)) && (line !== '' || toBool(blank)) ? pad + line : line))
        .join('\n');
    },
  },
  format: { params: [], variadic: true, fn: (v, args, ctx) => percentFormat(ctx, s(v), args) },
};
