/**
 * Turns a muster template into plain Handlebars. Every output mustache becomes a call of our `__out`
 * helper (strict about undefined, our stringification). Bodies that are Jinja rather than Handlebars
 * (`{{ x | default('y') }}`, `{{ a if c else b }}`, `{{ n + 1 }}`), and plain names too, go to the
 * expression language through `__expr`, which looks a name up in the current block's item first and
 * then in the variables (as a Jinja for-loop would). Handlebars-only paths (`this`, `../x`, `@index`,
 * block params) and helper calls (`{{join list ","}}`) stay Handlebars. Newlines are kept, so line
 * numbers still match.
 */
import Handlebars from 'handlebars';
import { filters } from '../expr/filters/index.js';
import { hasJinjaTags, jinjaToHandlebars } from './jinja-tags.js';

/** The Handlebars text, and whether it is one lone value mustache whose native value is wanted. */
export interface Rewritten {
  text: string;
  single: boolean;
}

// a Handlebars path: name, this, ., ../x, @index, @root.x, a.b.0, a.[odd key]
const SEGMENT = String.raw`(?:[A-Za-z_]\w*|\d+|\[[^\]]*\])`;
const PATH = new RegExp(String.raw`^(?:\.\.\/)*(?:this|\.|@?[A-Za-z_]\w*|\[[^\]]*\])(?:[./]${SEGMENT})*$`);
// a path the expression language reads the same way: name.name.0
const SIMPLE_PATH = /^[A-Za-z_]\w*(?:\.(?:[A-Za-z_]\w*|\d+))*$/;
const LITERAL = /^(?:"(?:\\"|[^"])*"|'(?:\\'|[^'])*'|-?\d+(?:\.\d+)?|true|false|null|undefined)$/;
// words that make a body Jinja even when Handlebars could parse it
const JINJA_WORDS = /(?:^|\s)(?:and|or|not|in|is|if|else)(?=\s|$)/;
const JINJA_LITERALS = new Set(['none', 'None', 'True', 'False']);
const BLOCK_WITH_CONDITION = /^(#\s*|else\s+)(if|unless|each|with)\s+([\s\S]+)$/;
const BLOCK_PARAMS = /\s+as\s+\|([^|]*)\|\s*$/;

/** Rewrites `source`; with `native`, a text that is exactly one value mustache captures its value. Throws JinjaProblem. */
export function rewrite(source: string, native: boolean): Rewritten {
  const text = hasJinjaTags(source) ? jinjaToHandlebars(source) : source;
  // block params (`{{#each users as |u|}}`) in scope at each point: one entry per open block
  const blocks: string[][] = [];
  let out = '';
  let i = 0;
  let single = false;
  for (;;) {
    const start = text.indexOf('{{', i);
    if (start < 0) break;
    out += text.slice(i, start);
    // \{{ is Handlebars' escape: the mustache stays literal text, leave it to Handlebars
    if (text[start - 1] === '\\' && text[start - 2] !== '\\') {
      out += '{{';
      i = start + 2;
      continue;
    }
    if (text.startsWith('{{{{', start)) {
      const end = rawBlockEnd(text, start);
      out += text.slice(start, end);
      i = end;
      continue;
    }
    const comment = /^\{\{~?!(--)?/.exec(text.slice(start, start + 6));
    if (comment) {
      // comments end at the first --}} (or }}) whatever they contain
      const end = text.indexOf(comment[1] ? '--}}' : '}}', start + comment[0].length);
      i = end < 0 ? text.length : end + (comment[1] ? 4 : 2);
      out += text.slice(start, i);
      continue;
    }
    const triple = text.startsWith('{{{', start);
    const open = triple ? 3 : 2;
    const end = closingAt(text, start + open, triple ? '}}}' : '}}');
    if (end < 0) {
      // unclosed: Handlebars reports it with its line
      out += text.slice(start);
      i = text.length;
      break;
    }
    const close = end + open;
    const whole = native && start === 0 && close === text.length;
    const [converted, isValue] = convert(text.slice(start + open, end), triple, whole, blocks);
    single = whole && isValue;
    out += converted;
    i = close;
  }
  out += text.slice(i);
  return { text: out, single };
}

// the end of a {{{{raw}}}}...{{{{/raw}}}} block, or the end of the text
function rawBlockEnd(text: string, start: number): number {
  const closeTag = text.indexOf('{{{{/', start + 4);
  if (closeTag < 0) return text.length;
  const end = text.indexOf('}}}}', closeTag);
  return end < 0 ? text.length : end + 4;
}

// where the closing braces are, skipping quoted strings and nested dict braces in Jinja bodies
function closingAt(text: string, from: number, close: string): number {
  let quote = '';
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (depth === 0 && text.startsWith(close, i)) {
      return i;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

// one mustache body -> its Handlebars form, and whether it outputs a value; tracks open blocks
function convert(raw: string, triple: boolean, whole: boolean, blocks: string[][]): [string, boolean] {
  let body = raw;
  // Jinja's {{- -}} whitespace control is Handlebars' {{~ ~}}
  const left = /^[~-]/.test(body) ? '~' : '';
  if (left) body = body.slice(1);
  const right = /[~-]$/.test(body) ? '~' : '';
  if (right) body = body.slice(0, -1);
  const wrap = (inner: string) => (triple ? `{{{${left}${inner}${right}}}}` : `{{${left}${inner}${right}}}`);
  let trimmed = body.trim();
  const names = new Set(blocks.flat());
  if (trimmed.startsWith('/')) blocks.pop();
  // {{^name}} opens an inverted section (a bare {{^}} is an else)
  if (/^\^\s*\S/.test(trimmed)) blocks.push([]);
  if (/^[!>*^/]/.test(trimmed) || /^else\s*$/.test(trimmed)) return [wrap(body), false];
  if (trimmed.startsWith('#')) blocks.push(BLOCK_PARAMS.exec(trimmed)?.[1].trim().split(/\s+/) ?? []);
  const block = BLOCK_WITH_CONDITION.exec(trimmed);
  if (block) return [wrap(`${block[1]}${block[2]} ${blockParam(block[3], names)}`), false];
  if (trimmed.startsWith('#')) return [wrap(body), false];
  if (trimmed.startsWith('&')) trimmed = trimmed.slice(1).trim();
  const helper = whole ? '__capture' : '__out';
  // {{{ }}} is a value mustache like any other: we never escape
  return [`{{${left}${helper} ${valueExpr(trimmed, names)}${right}}}`, true];
}

// a block's argument: Handlebars keeps what only it can read, everything else is an expression
function blockParam(rest: string, blockNames: Set<string>): string {
  const params = BLOCK_PARAMS.exec(rest);
  const arg = (params ? rest.slice(0, params.index) : rest).trim();
  const tail = params ? params[0] : '';
  if (LITERAL.test(arg) && !/^'/.test(arg)) return arg + tail;
  if (arg.startsWith('(') && arg.endsWith(')') && isHandlebarsCall(arg.slice(1, -1))) return arg + tail;
  return valueExpr(arg, blockNames) + tail;
}

// a value mustache's body as a Handlebars argument of __out/__capture
function valueExpr(body: string, blockNames: Set<string>): string {
  if (isHandlebarsPath(body, blockNames)) return body;
  if (isHandlebarsCall(body)) return `(${body})`;
  // helpers cannot see block params: pass the ones the expression names as hash arguments
  const words = new Set(body.replace(/"(?:\\.|[^"])*"|'(?:\\.|[^'])*'/g, '').match(/[A-Za-z_]\w*/g) ?? []);
  const params = [...blockNames].filter((n) => words.has(n)).map((n) => ` ${n}=${n}`);
  return `(__expr ${hbString(body)}${params.join('')})`;
}

// this, ../x, @index, a.[b], a/b and block params: paths only Handlebars can resolve
function isHandlebarsPath(body: string, blockNames: Set<string>): boolean {
  // a leading [..] is a Jinja list literal, not Handlebars' [segment]
  if (!PATH.test(body) || JINJA_LITERALS.has(body) || body.startsWith('[')) return false;
  return !SIMPLE_PATH.test(body) || blockNames.has(body.split('.')[0]);
}

// `join list ", "`: a known helper followed by Handlebars arguments, with no Jinja operator words
function isHandlebarsCall(body: string): boolean {
  const m = /^([A-Za-z_]\w*)\s+\S/.exec(body);
  if (!m || !(Object.hasOwn(filters, m[1]) || m[1] === 'lookup')) return false;
  if (JINJA_WORDS.test(body.replace(/"(?:\\"|[^"])*"|'(?:\\'|[^'])*'/g, '""'))) return false;
  try {
    const ast = Handlebars.parse(`{{${body}}}`);
    return ast.body.length === 1 && ast.body[0].type === 'MustacheStatement';
  } catch {
    return false;
  }
}

// a Handlebars string literal: only \" is an escape there
function hbString(s: string): string {
  return `"${s.replace(/"/g, '\\"')}"`;
}
