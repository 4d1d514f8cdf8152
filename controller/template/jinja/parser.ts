/**
 * Jinja statements into a tree. Expressions stay as source text here (the expression language parses
 * them, once, with carets in its errors); this file knows the statement grammar: if/elif/else, for (with
 * `if` filter, `else` and tuple targets), set (inline, tuple and block forms), filter, block, extends,
 * include, with, macro and call.
 */
import type { Token } from './lexer.js';

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'out'; expr: string; line: number }
  | { kind: 'if'; branches: { test: string; line: number; body: Node[] }[]; otherwise?: Node[] }
  | { kind: 'for'; targets: string[]; iter: string; cond?: string; body: Node[]; otherwise?: Node[]; line: number }
  | { kind: 'set'; targets: string[]; expr: string; line: number }
  | { kind: 'setblock'; target: string; filters?: string; body: Node[]; line: number }
  | { kind: 'filter'; filters: string; body: Node[]; line: number }
  | { kind: 'block'; name: string; body: Node[] }
  | { kind: 'extends'; template: string; line: number }
  | { kind: 'include'; template: string; ignoreMissing: boolean; line: number }
  | { kind: 'with'; assigns: [string, string][]; body: Node[]; line: number }
  | { kind: 'macro'; name: string; params: Param[]; body: Node[]; line: number }
  | { kind: 'call'; call: string; params: Param[]; body: Node[]; line: number };

/** A macro parameter and its default's source. */
export interface Param {
  name: string;
  dflt?: string;
}

/** A statement that does not parse; `line` is 1-based. */
export class ParseProblem {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly hint: string,
  ) {}
}

const NAME = /^[A-Za-z_]\w*$/;
// each block statement, and the words that may continue or end it
const ENDS: Record<string, string[]> = {
  if: ['elif', 'else', 'endif'],
  for: ['else', 'endfor'],
  set: ['endset'],
  filter: ['endfilter'],
  block: ['endblock'],
  with: ['endwith'],
  macro: ['endmacro'],
  call: ['endcall'],
};

/** The tree of a token list. Throws ParseProblem. */
export function parseTemplate(tokens: Token[]): Node[] {
  let i = 0;
  // nodes up to one of `stops` (returned with the statement that stopped them), or to the end
  const body = (opener?: { word: string; line: number }): { nodes: Node[]; stop?: { word: string; rest: string; line: number } } => {
    const nodes: Node[] = [];
    const stops = opener ? ENDS[opener.word] : [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.kind === 'text') nodes.push({ kind: 'text', text: t.text });
      else if (t.kind === 'out') nodes.push({ kind: 'out', expr: nonEmpty(t.src, t.line), line: t.line });
      else {
        const { word, rest } = split(t.src);
        if (stops.includes(word)) return { nodes, stop: { word, rest, line: t.line } };
        if (/^(end\w+|elif|else)$/.test(word)) throw stray(word, t.line, opener);
        nodes.push(statement(word, rest, t.line));
      }
    }
    if (opener) throw new ParseProblem(`{% ${opener.word} %} is never closed`, opener.line, `add {% end${opener.word} %}`);
    return { nodes };
  };

  const block = (word: string, line: number) => body({ word, line });

  const statement = (word: string, rest: string, line: number): Node => {
    switch (word) {
      case 'if': {
        const branches = [{ test: nonEmpty(rest, line), line, body: [] as Node[] }];
        let otherwise: Node[] | undefined;
        for (;;) {
          const { nodes, stop } = block('if', line);
          if (otherwise) {
            if (stop?.word !== 'endif') throw new ParseProblem(`{% ${stop?.word} %} after {% else %}`, stop?.line ?? line, 'the {% else %} branch comes last');
            otherwise = nodes;
            return { kind: 'if', branches, otherwise };
          }
          branches[branches.length - 1].body = nodes;
          if (stop?.word === 'endif') return { kind: 'if', branches };
          if (stop?.word === 'elif') branches.push({ test: nonEmpty(stop.rest, stop.line), line: stop.line, body: [] });
          else otherwise = [];
        }
      }
      case 'for': {
        const inAt = findTop(rest, 'in');
        if (inAt < 0) throw new ParseProblem(`cannot read "{% for ${rest} %}"`, line, 'write {% for x in list %} or {% for k, v in dict.items() %}');
        const targets = targetList(rest.slice(0, inAt), line);
        let iter = rest.slice(inAt + 2).trim();
        if (/\brecursive$/.test(iter)) throw new ParseProblem('recursive for loops are not supported', line, 'flatten the data first');
        let cond: string | undefined;
        const ifAt = findTop(iter, 'if');
        if (ifAt >= 0) {
          cond = nonEmpty(iter.slice(ifAt + 2), line);
          iter = iter.slice(0, ifAt).trim();
        }
        const first = block('for', line);
        const node: Node = { kind: 'for', targets, iter: nonEmpty(iter, line), cond, body: first.nodes, line };
        if (first.stop?.word === 'else') {
          const second = block('for', line);
          if (second.stop?.word !== 'endfor') throw new ParseProblem('{% else %} twice in one {% for %}', second.stop?.line ?? line, 'one else per loop');
          node.otherwise = second.nodes;
        }
        return node;
      }
      case 'set': {
        const eq = findTop(rest, '=');
        if (eq >= 0) return { kind: 'set', targets: targetList(rest.slice(0, eq), line, true), expr: nonEmpty(rest.slice(eq + 1), line), line };
        const [target, ...filters] = rest.split('|');
        if (!NAME.test(target.trim()))
          throw new ParseProblem(`cannot read "{% set ${rest} %}"`, line, 'write {% set name = value %} or {% set name %}...{% endset %}');
        const inner = block('set', line);
        return { kind: 'setblock', target: target.trim(), filters: filters.length ? filters.join('|') : undefined, body: inner.nodes, line };
      }
      case 'filter':
        return { kind: 'filter', filters: nonEmpty(rest, line), body: block('filter', line).nodes, line };
      case 'block': {
        const name = rest.replace(/\s+scoped$/, '').trim();
        if (!NAME.test(name)) throw new ParseProblem(`a block needs a name, not "${rest}"`, line, 'write {% block name %}');
        return { kind: 'block', name, body: block('block', line).nodes };
      }
      case 'extends':
        return { kind: 'extends', template: nonEmpty(rest, line), line };
      case 'include': {
        const m = /^([\s\S]*?)(\s+ignore\s+missing)?(\s+(?:with|without)\s+context)?$/.exec(rest);
        return { kind: 'include', template: nonEmpty(m?.[1] ?? rest, line), ignoreMissing: Boolean(m?.[2]), line };
      }
      case 'with': {
        const assigns = splitTop(rest, ',')
          .filter((s) => s.trim())
          .map((part): [string, string] => {
            const eq = findTop(part, '=');
            const name = part.slice(0, eq).trim();
            if (eq < 0 || !NAME.test(name)) throw new ParseProblem(`cannot read "{% with ${rest} %}"`, line, 'write {% with a = 1, b = x %}');
            return [name, nonEmpty(part.slice(eq + 1), line)];
          });
        return { kind: 'with', assigns, body: block('with', line).nodes, line };
      }
      case 'macro': {
        const m = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/.exec(rest);
        if (!m) throw new ParseProblem(`cannot read "{% macro ${rest} %}"`, line, 'write {% macro name(a, b=1) %}');
        return { kind: 'macro', name: m[1], params: params(m[2], line), body: block('macro', line).nodes, line };
      }
      case 'call': {
        const m = /^(?:\(([\s\S]*?)\)\s*)?([\s\S]+)$/.exec(rest);
        return { kind: 'call', params: params(m?.[1] ?? '', line), call: nonEmpty(m?.[2] ?? '', line), body: block('call', line).nodes, line };
      }
      default:
        throw new ParseProblem(
          `the Jinja statement {% ${word || rest} %} is not supported`,
          line,
          'supported: if/elif/else, for, set, filter, block, extends, include, with, macro, call, raw',
        );
    }
  };

  return body().nodes;
}

function split(src: string): { word: string; rest: string } {
  const word = /^\w+/.exec(src)?.[0] ?? '';
  return { word, rest: src.slice(word.length).trim() };
}

function nonEmpty(src: string, line: number): string {
  const s = src.trim();
  if (!s) throw new ParseProblem('an empty expression', line, 'write a value or a variable name here');
  return s;
}

function stray(word: string, line: number, opener?: { word: string; line: number }): ParseProblem {
  const inside = opener ? ` inside {% ${opener.word} %} (line ${opener.line})` : '';
  return new ParseProblem(`unexpected {% ${word} %}${inside}`, line, 'check that every block is closed by its own end tag, in order');
}

// `a`, `a, b`, `(a, b)`; with `attrs`, also `ns.attr` (set on a namespace)
function targetList(src: string, line: number, attrs = false): string[] {
  const names = src
    .trim()
    .replace(/^\(([\s\S]*)\)$/, '$1')
    .split(',')
    .map((s) => s.trim());
  const ok = attrs ? /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/ : NAME;
  if (!names.length || names.some((n) => !ok.test(n))) throw new ParseProblem(`"${src.trim()}" is not a name or a list of names`, line, 'write x, or k, v');
  return names;
}

function params(src: string, line: number): Param[] {
  return splitTop(src, ',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = findTop(p, '=');
      const name = (eq < 0 ? p : p.slice(0, eq)).trim();
      if (!NAME.test(name)) throw new ParseProblem(`"${p}" is not a parameter`, line, 'write name or name=default');
      return eq < 0 ? { name } : { name, dflt: nonEmpty(p.slice(eq + 1), line) };
    });
}

/** Offset of `word` (a keyword, or `=`/`,`) at the top level of `src`: outside strings and brackets; -1 if none. */
export function findTop(src: string, word: string): number {
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && src.startsWith(word, i)) {
      if (/\w/.test(word)) {
        if (/\w/.test(src[i - 1] ?? '') || /\w/.test(src[i + word.length] ?? '')) continue;
      } else if (word === '=' && (/[=!<>]/.test(src[i - 1] ?? '') || src[i + 1] === '=')) continue;
      return i;
    }
  }
  return -1;
}

/** `src` cut at every top-level `sep`. */
export function splitTop(src: string, sep: string): string[] {
  const out: string[] = [];
  let rest = src;
  for (let at = findTop(rest, sep); at >= 0; at = findTop(rest, sep)) {
    out.push(rest.slice(0, at));
    rest = rest.slice(at + sep.length);
  }
  out.push(rest);
  return out;
}
