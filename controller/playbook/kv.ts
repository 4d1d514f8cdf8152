/**
 * Ansible's `key=value` argument strings: `src=a dest="b c" mode=0644`. Words are split on blanks outside
 * quotes and outside `{{ }}` / `{% %}` / `{# #}`, so `msg={{ a | b }}` stays one word.
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import { setPos } from '../../shared/yaml.js';

interface Word {
  text: string;
  start: number;
  end: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `k=v k2="a b"` into a mapping of strings. Words that are not `key=value` (and, when `options` is
 * given, `key=value` words whose key is not one of them: a free-form module's command text) are kept as
 * written, in order, under `_raw_params`.
 */
export function parseKv(s: string, pos?: Pos, options?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const raw: Word[] = [];
  for (const word of splitWords(s, pos)) {
    const eq = word.text.indexOf('=');
    const key = eq > 0 ? word.text.slice(0, eq) : '';
    if (KEY.test(key) && (options === undefined || options.has(key))) out[key] = unquote(word.text.slice(eq + 1));
    else raw.push(word);
  }
  if (raw.length > 0) out._raw_params = rawText(s, raw);
  return pos ? setPos(out, pos) : out;
}

/** The free words as they were written, from the first to the last (a multi-line script keeps its lines). */
function rawText(s: string, raw: Word[]): string {
  let text = '';
  let prev = raw[0].start;
  for (const w of raw) {
    // keep the original separator between adjacent free words; one space where an option word was cut out
    const gap = s.slice(prev, w.start);
    text += text === '' ? '' : /^\s+$/.test(gap) ? gap : ' ';
    text += w.text;
    prev = w.end;
  }
  return text;
}

const OPENERS: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };

/** Splits on blanks outside quotes and template markers; throws E_SCHEMA on an unclosed quote or `{{`. */
function splitWords(s: string, pos?: Pos): Word[] {
  const words: Word[] = [];
  let start = -1;
  let quote = '';
  const closers: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (start < 0) {
      if (/\s/.test(c)) continue;
      start = i;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two in OPENERS) {
      closers.push(OPENERS[two]);
      i++;
    } else if (closers.length > 0 && two === closers[closers.length - 1]) {
      closers.pop();
      i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (closers.length === 0 && /\s/.test(c)) {
      words.push({ text: s.slice(start, i), start, end: i });
      start = -1;
    }
  }
  if (quote || closers.length > 0) {
    const what = quote ? `quote ${quote}` : `"${closers[0] === '}}' ? '{{' : closers[0] === '%}' ? '{%' : '{#'}"`;
    throw new MusterError('E_SCHEMA', `unclosed ${what} in arguments: ${s}`, {
      pos,
      hint: 'close the quote or template marker, or write the arguments as a YAML mapping',
    });
  }
  if (start >= 0) words.push({ text: s.slice(start), start, end: s.length });
  return words;
}

/** Strips one pair of surrounding quotes; inside double quotes, backslash escapes `"` and `\`. */
function unquote(v: string): string {
  if (v.length >= 2 && v[0] === v[v.length - 1]) {
    if (v[0] === "'") return v.slice(1, -1);
    if (v[0] === '"') return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return v;
}
