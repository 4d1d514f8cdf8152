/**
 * Splits a Jinja template into text, `{{ expression }}` and `{% statement %}` tokens, applying Jinja's
 * whitespace rules on the way: `-` on a tag strips the whitespace next to it, `+` keeps it, and the
 * environment's trim_blocks (the newline after a block or comment tag goes) and lstrip_blocks (spaces
 * before a block tag on its own line go). Comments and `{% raw %}` sections are resolved here too.
 */

/** The environment options a template sees (Ansible's template module: trim_blocks on, the rest off). */
export interface JinjaOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
}

export const ANSIBLE_DEFAULTS: JinjaOptions = { trimBlocks: true, lstripBlocks: false, keepTrailingNewline: false };

/** One token; `line` is 1-based, where the token starts. */
export type Token = { kind: 'text'; text: string; line: number } | { kind: 'out' | 'stmt'; src: string; line: number };

/** A template that cannot be split: an unclosed tag. */
export class LexProblem {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly hint: string,
  ) {}
}

const RAW_START = /^\{%([-+]?)\s*raw\s*([-+]?)%\}/;
const RAW_END = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;

/** The tokens of `source` (newlines already `\n`). Throws LexProblem. */
export function tokenize(source: string, options: JinjaOptions): Token[] {
  const text = !options.keepTrailingNewline && source.endsWith('\n') ? source.slice(0, -1) : source;
  const tokens: Token[] = [];
  let pos = 0;
  let trimNext: 'all' | 'newline' | undefined;
  const lineAt = (i: number) => lineOf(text, i);

  const pushText = (chunk: string, at: number) => {
    let t = chunk;
    if (trimNext === 'all') t = t.replace(/^\s+/, '');
    else if (trimNext === 'newline') t = t.replace(/^\n/, '');
    trimNext = undefined;
    if (t) tokens.push({ kind: 'text', text: t, line: lineAt(at) });
  };
  // whitespace control before a tag: `-` strips all whitespace, lstrip_blocks the indentation of the line
  const stripBefore = (mode: 'all' | 'indent') => {
    const last = tokens[tokens.length - 1];
    if (last?.kind !== 'text') return;
    last.text = mode === 'all' ? last.text.replace(/\s+$/, '') : last.text.replace(/(^|\n)[ \t]+$/, '$1');
    if (!last.text) tokens.pop();
  };
  const afterTag = (right: string, block: boolean) => {
    trimNext = right === '-' ? 'all' : block && right !== '+' && options.trimBlocks ? 'newline' : undefined;
  };
  const beforeTag = (left: string, block: boolean, start: number) => {
    if (left === '-') stripBefore('all');
    else if (block && left !== '+' && options.lstripBlocks && onlyIndentBefore(text, start)) stripBefore('indent');
  };

  while (pos < text.length) {
    const start = nextTag(text, pos);
    if (start < 0) {
      pushText(text.slice(pos), pos);
      break;
    }
    pushText(text.slice(pos, start), pos);
    const kind = text[start + 1];
    const left = text[start + 2] === '-' || text[start + 2] === '+' ? text[start + 2] : '';
    const line = lineAt(start);
    if (kind === '#') {
      const end = text.indexOf('#}', start + 2);
      if (end < 0) throw new LexProblem('a {# comment #} is never closed', line, 'close it with #}');
      const right = text[end - 1] === '-' && end - 1 > start + 2 ? '-' : text[end - 1] === '+' ? '+' : '';
      beforeTag(left, true, start);
      afterTag(right, true);
      pos = end + 2;
      continue;
    }
    const raw = kind === '%' ? RAW_START.exec(text.slice(start)) : null;
    if (raw) {
      beforeTag(raw[1], true, start);
      RAW_END.lastIndex = start + raw[0].length;
      const end = RAW_END.exec(text);
      if (!end) throw new LexProblem('{% raw %} is never closed', line, 'close it with {% endraw %}');
      afterTag(raw[2], true);
      let body = text.slice(start + raw[0].length, end.index);
      if (trimNext === 'all') body = body.replace(/^\s+/, '');
      else if (trimNext === 'newline') body = body.replace(/^\n/, '');
      trimNext = undefined;
      if (end[1] === '-') body = body.replace(/\s+$/, '');
      else if (end[1] !== '+' && options.lstripBlocks) body = body.replace(/(^|\n)[ \t]+$/, '$1');
      if (body) tokens.push({ kind: 'text', text: body, line });
      afterTag(end[2], true);
      pos = end.index + end[0].length;
      continue;
    }
    const close = kind === '{' ? '}}' : '%}';
    const end = tagEnd(text, start + 2 + left.length, close);
    if (end < 0) {
      const what = kind === '{' ? '{{ expression }}' : '{% statement %}';
      throw new LexProblem(`a ${what} is never closed`, line, `close it with ${close}`);
    }
    const right = text[end - 1] === '-' || text[end - 1] === '+' ? text[end - 1] : '';
    const src = text.slice(start + 2 + left.length, end - right.length).trim();
    const block = kind === '%';
    beforeTag(left, block, start);
    tokens.push({ kind: block ? 'stmt' : 'out', src, line });
    afterTag(right, block);
    pos = end + 2;
  }
  return tokens;
}

/** The 1-based line of offset `i`. */
export function lineOf(text: string, i: number): number {
  let n = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) n++;
  return n;
}

function nextTag(text: string, from: number): number {
  for (let i = text.indexOf('{', from); i >= 0; i = text.indexOf('{', i + 1)) {
    const c = text[i + 1];
    if (c === '{' || c === '%' || c === '#') return i;
  }
  return -1;
}

function onlyIndentBefore(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, start));
}

// the offset of the closing `}}` / `%}`, skipping string literals and anything inside brackets
function tagEnd(text: string, from: number, close: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const j = stringEnd(text, i);
      if (j < 0) return -1;
      i = j;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && text.startsWith(close, i)) return i;
  }
  return -1;
}

function stringEnd(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === q) return i;
  }
  return -1;
}
