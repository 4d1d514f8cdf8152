/**
 * Load-time checks of a Jinja template file: it lexes and parses, every expression in it parses, and
 * every filter and test it names exists. Nothing is rendered: --syntax-check finds a role's broken
 * template before a host reaches the task that writes it.
 */
import type { Expr } from '../../expr/ast.js';
import { filters, tests } from '../../expr/filters/index.js';
import { expressionProblem, type SyntaxReport } from '../../expr/index.js';
import { parseCached } from '../../expr/run.js';
import { didYouMean } from '../../../shared/errors.js';
import type { Node } from './parser.js';
import { compileJinja, JinjaSyntax } from './compile.js';

/** Why the template can never render, with its line, or undefined. */
export function jinjaProblem(text: string): SyntaxReport | undefined {
  const compiled = compileJinja(text);
  if (compiled instanceof JinjaSyntax) return { message: `line ${compiled.line}: ${compiled.message}`, hint: compiled.hint };
  for (const { src, line } of expressionsOf(compiled.nodes)) {
    const problem = expressionProblem(src) ?? unknownNames(src);
    if (problem) return { message: `line ${line}: ${problem.message}`, hint: problem.hint };
  }
  return undefined;
}

function unknownNames(src: string): SyntaxReport | undefined {
  const ast = parseCached(src) as Expr;
  for (const { kind, name } of calls(ast)) {
    const table = kind === 'filter' ? filters : tests;
    if (!Object.hasOwn(table, name)) {
      return {
        message: `unknown ${kind} "${name}"${didYouMean(name, Object.keys(table))} in "${src}"`,
        hint: 'docs/templates.md lists the filters and tests muster knows',
      };
    }
  }
  return undefined;
}

// every filter and test an expression applies
function calls(e: Expr, out: { kind: 'filter' | 'test'; name: string }[] = []): { kind: 'filter' | 'test'; name: string }[] {
  if (e.kind === 'filter' || e.kind === 'test') out.push({ kind: e.kind, name: e.name });
  for (const child of Object.values(e)) {
    if (Array.isArray(child)) for (const c of child.flat()) isExpr(c) && calls(c, out);
    else if (isExpr(child)) calls(child, out);
  }
  return out;
}

function isExpr(v: unknown): v is Expr {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && 'at' in v;
}

// every expression of a tree, with the line it is on where the tree knows it
function expressionsOf(nodes: Node[], line = 1, out: { src: string; line: number }[] = []): { src: string; line: number }[] {
  for (const n of nodes) {
    const at = 'line' in n ? n.line : line;
    const add = (src: string | undefined) => src && out.push({ src, line: at });
    switch (n.kind) {
      case 'out':
      case 'set':
        add('expr' in n ? n.expr : undefined);
        break;
      case 'if':
        for (const b of n.branches) {
          out.push({ src: b.test, line: b.line });
          expressionsOf(b.body, b.line, out);
        }
        if (n.otherwise) expressionsOf(n.otherwise, line, out);
        break;
      case 'for':
        add(n.iter);
        add(n.cond);
        expressionsOf(n.body, at, out);
        if (n.otherwise) expressionsOf(n.otherwise, at, out);
        break;
      case 'with':
        for (const [, src] of n.assigns) add(src);
        expressionsOf(n.body, at, out);
        break;
      case 'macro':
      case 'call':
        for (const p of n.params) add(p.dflt);
        if (n.kind === 'call') add(n.call);
        expressionsOf(n.body, at, out);
        break;
      case 'include':
      case 'extends':
        add(n.template);
        break;
      case 'setblock':
      case 'filter':
        // the filter names, checked as the filters of a stand-in value
        add(n.filters && `_ | ${n.filters}`);
        expressionsOf(n.body, at, out);
        break;
      case 'block':
        expressionsOf(n.body, at, out);
        break;
    }
  }
  return out;
}
