/** Parsing with a cache, and running an expression with its errors shown against the source. */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Scope } from '../template/scope.js';
import type { Expr } from './ast.js';
import { evaluate, EvalProblem, type Env } from './eval.js';
import { SyntaxProblem } from './lexer.js';
import { parse } from './parser.js';

const parsed = new Map<string, Expr | SyntaxProblem>();
const MAX_CACHED = 5000;

/** The expression with a caret under column `at` (0-based), indented under a message. */
export function caret(src: string, at: number): string {
  // a folded YAML scalar may hold newlines: show one line so the caret lines up
  const line = src.replace(/[\r\n\t]/g, ' ');
  return `\n    ${line}\n    ${' '.repeat(at)}^ column ${at + 1}`;
}

/** The AST of `src`, parsed once per distinct source; SyntaxProblem when it does not parse. */
export function parseCached(src: string): Expr | SyntaxProblem {
  let hit = parsed.get(src);
  if (!hit) {
    try {
      hit = parse(src);
    } catch (e) {
      if (!(e instanceof SyntaxProblem)) throw e;
      hit = e;
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(src, hit);
  }
  return hit;
}

/** The message of a parse error, with the caret. */
export function syntaxMessage(src: string, p: SyntaxProblem): string {
  return `invalid expression: ${p.message}${caret(src, p.at)}`;
}

/** What to say after any syntax error of an expression. */
export const SYNTAX_HINT = 'expressions use Jinja syntax: and/or/not, ==, in, | filter, is test, a if c else b';

/** Parses `src` or throws E_EXPR at `pos`. */
export function parseOrThrow(src: string, pos?: Pos): Expr {
  const ast = parseCached(src);
  if (ast instanceof SyntaxProblem) throw new MusterError('E_EXPR', syntaxMessage(src, ast), { pos, hint: SYNTAX_HINT });
  return ast;
}

/** Parses and evaluates `src`; problems become the scope's error code, located and with a caret. */
export function runExpression(src: string, env: Env): unknown {
  const ast = parseCached(src);
  if (ast instanceof SyntaxProblem) throw env.scope.error(syntaxMessage(src, ast), SYNTAX_HINT);
  try {
    return evaluate(ast, env);
  } catch (e) {
    if (e instanceof EvalProblem)
      throw env.scope.error(`${e.message}${caret(src, e.at)}`, e.hint ?? 'docs/templates.md describes the expressions, filters and tests muster knows');
    throw e;
  }
}

/** The environment of a top-level expression: names come from the variables. */
export function rootEnv(scope: Scope): Env {
  const root = scope.root as Record<string, unknown>;
  return { scope, lookup: (name) => root[name] };
}
