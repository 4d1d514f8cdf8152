/** Jinja's filters that lay out text: centring, wrapping, truncating, HTML escapes, file sizes. */
import { toStr } from '../values.js';
import { pyFixed } from './pynum.js';
import type { CallCtx } from './types.js';

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
export function htmlUnescape(text: string): string {
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

export function truncate(ctx: CallCtx, text: string, length: number, killwords: boolean, end: string, leeway: number): string {
  if (length < end.length) ctx.fail(`truncate: expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) ctx.fail(`truncate: expected leeway >= 0, got ${leeway}`);
  if ([...text].length <= length + leeway) return text;
  const head = [...text].slice(0, length - end.length).join('');
  if (killwords) return head + end;
  const space = head.lastIndexOf(' ');
  return (space >= 0 ? head.slice(0, space) : head) + end;
}

export function filesizeformat(value: unknown, binary: boolean): string {
  const bytes = typeof value === 'number' ? value : Number(s(value));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let i = 0;
  while (i < prefixes.length - 1 && bytes >= base ** (i + 2)) i++;
  return `${pyFixed((base * bytes) / base ** (i + 2), 1)} ${prefixes[i]}`;
}
