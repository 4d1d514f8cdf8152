/** Jinja's own filters that Ansible templates use: layout of text, HTML escaping, grouping and slicing lists. */
import { pyRepr, pyStr } from '../pystr.js';
import { isDict, order, toBool, toInt, toStr, typeName } from '../values.js';
import { pyJson } from './data.js';
import { pyFixed } from './pynum.js';
import type { CallCtx, Filter } from './types.js';

const s = toStr;

/** Jinja's escape: the five HTML-special characters as entities (Ansible does not autoescape, so this is text). */
export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] as string);
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
};

// html.unescape for numeric references and the common named ones
function htmlUnescape(text: string): string {
  return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return Object.hasOwn(ENTITIES, ref) ? ENTITIES[ref] : m;
  });
}

/** Python's str.center: the extra space goes left when the padding is odd and the width is odd. */
export function pyCenter(text: string, width: number): string {
  const pad = width - text.length;
  if (pad <= 0) return text;
  const left = Math.floor(pad / 2) + (pad & width & 1);
  return ' '.repeat(left) + text + ' '.repeat(pad - left);
}

/** Python's str.splitlines (no line ends kept). */
export function pySplitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

// textwrap's word splitter: whitespace runs, words, and hyphenated words split after the hyphen
const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const WORD_PUNCT = '[\\w!"\'&.,?]';
const LETTER = '[^\\d\\W]';
const NOT_WS = '[^\\t\\n\\x0b\\x0c\\r ]';
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WORD_PUNCT})-{2,}(?=\\w)|${NOT_WS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}\\w)))`,
);

/** Python's textwrap.wrap with expand_tabs and replace_whitespace off, as Jinja's wordwrap calls it. */
export function textWrap(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean): string[] {
  const chunks = text.split(breakOnHyphens ? WORDSEP : new RegExp(`(${WS}+)`)).filter((c) => c !== '');
  chunks.reverse();
  const lines: string[] = [];
  const blank = (c: string) => c.trim() === '';
  while (chunks.length) {
    const line: string[] = [];
    let len = 0;
    if (blank(chunks.at(-1) as string) && lines.length) chunks.pop();
    while (chunks.length && len + (chunks.at(-1) as string).length <= width) {
      const c = chunks.pop() as string;
      line.push(c);
      len += c.length;
    }
    if (chunks.length && (chunks.at(-1) as string).length > width) {
      const room = width < 1 ? 1 : width - len;
      const chunk = chunks.at(-1) as string;
      if (breakLongWords) {
        let end = room;
        if (breakOnHyphens && chunk.length > room) {
          const hyphen = chunk.lastIndexOf('-', room - 1);
          if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
        }
        line.push(chunk.slice(0, end));
        chunks[chunks.length - 1] = chunk.slice(end);
      } else if (!line.length) line.push(chunks.pop() as string);
    }
    if (line.length && blank(line.at(-1) as string)) line.pop();
    if (line.length) lines.push(line.join(''));
  }
  return lines;
}

function truncate(ctx: CallCtx, text: string, length: number, killwords: boolean, end: string, leeway: number): string {
  if (length < end.length) ctx.fail(`truncate: expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) ctx.fail(`truncate: expected leeway >= 0, got ${leeway}`);
  if ([...text].length <= length + leeway) return text;
  const head = [...text].slice(0, length - end.length).join('');
  if (killwords) return head + end;
  const space = head.lastIndexOf(' ');
  return (space >= 0 ? head.slice(0, space) : head) + end;
}

function filesizeformat(value: unknown, binary: boolean): string {
  const bytes = typeof value === 'number' ? value : Number(s(value));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let i = 0;
  while (i < prefixes.length - 1 && bytes >= base ** (i + 2)) i++;
  return `${pyFixed((base * bytes) / base ** (i + 2), 1)} ${prefixes[i]}`;
}

// Python sorts dict keys in pprint; repr of the sorted form
function sortedRepr(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedRepr).join(', ')}]`;
  if (isDict(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${pyRepr(k)}: ${sortedRepr(v[k])}`)
      .join(', ')}}`;
  return pyRepr(v);
}

// pprint's _pprint_str: a long string is cut after whitespace into adjacent literals, in parentheses at the top
function pformatString(text: string, indent: number, allowance: number, level: number): string {
  const rep = pyRepr(text);
  if (!text) return rep;
  const lines = text.match(/[^]*?(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^]+$/g) ?? [];
  let ind = indent;
  let allow = allowance;
  if (level === 1) [ind, allow] = [ind + 1, allow + 1];
  const maxWidth = 80 - ind;
  let maxWidth1 = maxWidth;
  const chunks: string[] = [];
  lines.forEach((line, i) => {
    const lineRep = pyRepr(line);
    if (i === lines.length - 1) maxWidth1 -= allow;
    if (lineRep.length <= maxWidth1) {
      chunks.push(lineRep);
      return;
    }
    const parts = line.match(/\S*\s*/g) ?? [];
    parts.pop();
    let maxWidth2 = maxWidth;
    let current = '';
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allow;
      if (pyRepr(candidate).length > maxWidth2) {
        if (current) chunks.push(pyRepr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(pyRepr(current));
  });
  if (chunks.length === 1) return rep;
  const body = chunks.join(`\n${' '.repeat(ind)}`);
  return level === 1 ? `(${body})` : body;
}

/** Python's pprint.pformat (width 80, dict keys sorted) for lists, dicts, strings and scalars. */
export function pformat(v: unknown, indent = 0, allowance = 0, level = 0): string {
  const rep = sortedRepr(v);
  if (rep.length <= 80 - indent - allowance) return rep;
  if (typeof v === 'string') return pformatString(v, indent, allowance, level + 1);
  if (Array.isArray(v) && v.length) {
    const inner = indent + 1;
    return `[${v.map((x, i) => pformat(x, inner, i === v.length - 1 ? allowance + 1 : 1, level + 1)).join(`,\n${' '.repeat(inner)}`)}]`;
  }
  if (isDict(v) && Object.keys(v).length) {
    const inner = indent + 1;
    const keys = Object.keys(v).sort();
    return `{${keys
      .map((k, i) => {
        const key = pyRepr(k);
        return `${key}: ${pformat(v[k], inner + key.length + 2, i === keys.length - 1 ? allowance + 1 : 1, level + 1)}`;
      })
      .join(`,\n${' '.repeat(inner)}`)}}`;
  }
  return rep;
}

function lowerKey(x: unknown): unknown {
  return typeof x === 'string' ? x.toLowerCase() : x;
}

function compare(ctx: CallCtx, a: unknown, b: unknown, filter: string): number {
  const c = order(a, b);
  return c === undefined ? ctx.fail(`${filter}: cannot order ${typeName(a)} and ${typeName(b)}`) : c;
}

function items(ctx: CallCtx, v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  return ctx.fail(`the ${filter} filter needs a list, got ${typeName(v)}`);
}

// Jinja's attribute getter: dict keys, and list or string indexes for the numeric parts of a dotted path
function itemPath(ctx: CallCtx, item: unknown, path: string, index: number): unknown {
  let cur = item;
  for (const key of path.split('.')) {
    if (isDict(cur) && Object.hasOwn(cur, key)) cur = cur[key];
    else if ((Array.isArray(cur) || typeof cur === 'string') && /^\d+$/.test(key) && Number(key) < cur.length) cur = cur[Number(key)];
    else return ctx.missing(`item ${index} attribute ${path}`);
  }
  return cur;
}

function groupby(ctx: CallCtx, v: unknown, attr: unknown, fallback: unknown, caseSensitive: boolean): unknown[] {
  const key = (x: unknown, i: number): unknown => {
    const path = s(attr);
    const got = itemPath(ctx, x, path, i);
    if (ctx.test('undefined', got, [])) {
      if (fallback === undefined) return ctx.fail(`groupby: item ${i} has no attribute ${path}`, "give a fallback: groupby('attr', default='none')");
      return fallback;
    }
    return got;
  };
  const keyed = items(ctx, v, 'groupby').map((x, i) => ({ x, raw: key(x, i) }));
  const cmpKey = (r: unknown) => (caseSensitive ? r : lowerKey(r));
  keyed.sort((a, b) => compare(ctx, cmpKey(a.raw), cmpKey(b.raw), 'groupby'));
  const groups: [unknown, unknown[]][] = [];
  for (const { x, raw } of keyed) {
    const last = groups.at(-1);
    if (last && compare(ctx, cmpKey(last[0]), cmpKey(raw), 'groupby') === 0) last[1].push(x);
    else groups.push([raw, [x]]);
  }
  return groups;
}

function batch(ctx: CallCtx, v: unknown, size: number, fill: unknown): unknown[][] {
  if (size < 1) ctx.fail(`batch: the size must be at least 1, got ${size}`);
  const out: unknown[][] = [];
  for (const x of items(ctx, v, 'batch')) {
    if (!out.length || (out.at(-1) as unknown[]).length === size) out.push([]);
    (out.at(-1) as unknown[]).push(x);
  }
  const last = out.at(-1);
  if (last && fill !== undefined && fill !== null) while (last.length < size) last.push(fill);
  return out;
}

function slice(ctx: CallCtx, v: unknown, slices: number, fill: unknown): unknown[][] {
  if (slices < 1) ctx.fail(`slice: the number of slices must be at least 1, got ${slices}`);
  const seq = items(ctx, v, 'slice');
  const per = Math.floor(seq.length / slices);
  const extra = seq.length % slices;
  const out: unknown[][] = [];
  let offset = 0;
  for (let n = 0; n < slices; n++) {
    const start = offset + n * per;
    if (n < extra) offset++;
    const part = seq.slice(start, offset + (n + 1) * per);
    if (fill !== undefined && fill !== null && n >= extra) part.push(fill);
    out.push(part);
  }
  return out;
}

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
    fn: (v, [cs, by, rev], ctx) => {
      const byWhat = s(by ?? 'key');
      if (byWhat !== 'key' && byWhat !== 'value') ctx.fail('dictsort: you can only sort by either "key" or "value"');
      const d = isDict(v) ? v : ctx.fail(`dictsort needs a dict, got ${typeName(v)}`);
      const pos = byWhat === 'key' ? 0 : 1;
      const key = (p: [string, unknown]) => (toBool(cs) ? p[pos] : lowerKey(p[pos]));
      const pairs = Object.entries(d);
      pairs.sort((a, b) => compare(ctx, key(a), key(b), 'dictsort') * (toBool(rev) ? -1 : 1));
      return pairs;
    },
  },
  groupby: { params: ['attribute', 'default', 'case_sensitive'], fn: (v, [attr, def, cs], ctx) => groupby(ctx, v, attr, def, toBool(cs)) },
  batch: { params: ['linecount', 'fill_with'], fn: (v, [n, fill], ctx) => batch(ctx, v, toInt(n), fill) },
  slice: { params: ['slices', 'fill_with'], fn: (v, [n, fill], ctx) => slice(ctx, v, toInt(n), fill) },
};
