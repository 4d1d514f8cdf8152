/**
 * Jinja's own filters that Ansible templates use, in one table: layout of text (layout.ts), grouping and
 * slicing lists (grouping.ts), pprint (pprint.ts), and here URL and XML attribute encoding and tojson.
 */
import { pyRepr, pyStr } from '../pystr.js';
import { isDict, toBool, toInt, toStr, typeName } from '../values.js';
import { pyJson } from './data.js';
import { batch, dictsort, groupby, slice } from './grouping.js';
import { filesizeformat, htmlEscape, htmlUnescape, pyCenter, pySplitLines, textWrap, truncate } from './layout.js';
import { pformat } from './pprint.js';
import type { CallCtx, Filter } from './types.js';

const s = toStr;

function urlQuote(v: unknown, forQuery: boolean): string {
  const safe = forQuery ? /[A-Za-z0-9_.~-]/ : /[A-Za-z0-9_.~/-]/;
  let out = '';
  for (const byte of Buffer.from(pyStr(v), 'utf8')) {
    const c = String.fromCharCode(byte);
    out += safe.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return forQuery ? out.replace(/%20/g, '+') : out;
}

function urlencode(ctx: CallCtx, v: unknown): string {
  if (typeof v === 'string' || !(Array.isArray(v) || isDict(v))) return urlQuote(v, false);
  const pairs = isDict(v)
    ? Object.entries(v)
    : v.map((p) => (Array.isArray(p) && p.length === 2 ? p : ctx.fail('urlencode: a list must hold [key, value] pairs')));
  return pairs.map(([k, x]) => `${urlQuote(k, true)}=${urlQuote(x, true)}`).join('&');
}

function xmlattr(ctx: CallCtx, v: unknown, autospace: boolean): string {
  if (!isDict(v)) return ctx.fail(`xmlattr needs a dict, got ${typeName(v)}`);
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x === null || ctx.test('undefined', x, [])) continue;
    if (/[\s/>=]/.test(k)) ctx.fail(`xmlattr: invalid character in attribute name: ${pyRepr(k)}`, 'attribute names may not hold spaces, /, > or =');
    parts.push(`${htmlEscape(k)}="${htmlEscape(s(x))}"`);
  }
  const out = parts.join(' ');
  return autospace && out ? ` ${out}` : out;
}

/** Jinja's tojson: sorted keys, and the HTML-special characters as \u escapes. */
function tojson(v: unknown, indent: unknown): string {
  const text = pyJson(v, indent === undefined || indent === null ? undefined : toInt(indent), true);
  return text.replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

const escapeFilter: Filter = { params: [], fn: (v) => htmlEscape(s(v)) };

/** Jinja builtins not covered by the text, data and collection tables. */
export const jinjaFilters: Record<string, Filter> = {
  center: { params: ['width'], fn: (v, [w]) => pyCenter(s(v), toInt(w ?? 80)) },
  wordwrap: {
    params: ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'],
    fn: (v, [w, blw, wrap, boh]) => {
      const sep = wrap === undefined || wrap === null ? '\n' : s(wrap);
      return pySplitLines(s(v))
        .map((line) => textWrap(line, toInt(w ?? 79), blw === undefined || toBool(blw), boh === undefined || toBool(boh)).join(sep))
        .join(sep);
    },
  },
  truncate: {
    params: ['length', 'killwords', 'end', 'leeway'],
    fn: (v, [len, kill, end, leeway], ctx) => truncate(ctx, s(v), toInt(len ?? 255), toBool(kill), end == null ? '...' : s(end), toInt(leeway ?? 5)),
  },
  striptags: {
    params: [],
    fn: (v) =>
      htmlUnescape(
        s(v)
          .replace(/<!--[\s\S]*?-->/g, '')
          .replace(/<[\s\S]*?>/g, '')
          .split(/\s+/)
          .filter((w) => w !== '')
          .join(' '),
      ),
  },
  wordcount: { params: [], fn: (v) => (s(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length },
  urlencode: { params: [], fn: (v, _a, ctx) => urlencode(ctx, v) },
  escape: escapeFilter,
  e: escapeFilter,
  forceescape: escapeFilter,
  safe: { params: [], fn: (v) => v },
  attr: {
    params: ['name'],
    // Jinja's attr reads Python attributes, never dict keys: on template data it is always undefined
    fn: (v, [name], ctx) => ctx.missing(`attribute ${s(name)} of a ${typeName(v)} (attr() does not read keys: use x[name])`),
  },
  filesizeformat: { params: ['binary'], fn: (v, [binary]) => filesizeformat(v, toBool(binary)) },
  pprint: { params: [], fn: (v) => pformat(v) },
  xmlattr: { params: ['autospace'], fn: (v, [auto], ctx) => xmlattr(ctx, v, auto === undefined || toBool(auto)) },
  tojson: { params: ['indent'], fn: (v, [indent]) => tojson(v, indent) },
  dictsort: {
    params: ['case_sensitive', 'by', 'reverse'],
    fn: (v, [cs, by, rev], ctx) => dictsort(ctx, v, toBool(cs), s(by ?? 'key'), toBool(rev)),
  },
  groupby: { params: ['attribute', 'default', 'case_sensitive'], fn: (v, [attr, def, cs], ctx) => groupby(ctx, v, attr, def, toBool(cs)) },
  batch: { params: ['linecount', 'fill_with'], fn: (v, [n, fill], ctx) => batch(ctx, v, toInt(n), fill) },
  slice: { params: ['slices', 'fill_with'], fn: (v, [n, fill], ctx) => slice(ctx, v, toInt(n), fill) },
};
