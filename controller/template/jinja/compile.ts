/** The parsed tree of a Jinja template text, cached per distinct text, or why it does not parse. */
import { readHeader } from './header.js';
import { LexProblem, tokenize } from './lexer.js';
import { type Node, ParseProblem, parseTemplate } from './parser.js';

/** A template that cannot be rendered for its syntax: message, 1-based line and hint. */
export class JinjaSyntax {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly hint: string,
  ) {}
}

const parsed = new Map<string, Node[] | JinjaSyntax>();
const MAX_CACHED = 500;

/** The tree of a template text (header options applied), once per distinct text; JinjaSyntax when it does not parse. */
export function compileJinja(text: string): { nodes: Node[]; trailing: number } | JinjaSyntax {
  const { body, options } = readHeader(text.replace(/\r\n?/g, '\n'));
  let hit = parsed.get(text);
  if (!hit) {
    try {
      hit = parseTemplate(tokenize(body, options));
    } catch (e) {
      if (!(e instanceof LexProblem || e instanceof ParseProblem)) throw e;
      hit = new JinjaSyntax(e.message, e.line + (body === text ? 0 : 1), e.hint);
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(text, hit);
  }
  return hit instanceof JinjaSyntax ? hit : { nodes: hit, trailing: trailingNewlines(body) };
}

/** How many newlines end `s`. */
export function trailingNewlines(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\n') n++;
  return n;
}
