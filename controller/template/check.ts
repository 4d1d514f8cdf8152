/**
 * Load-time checks of a template: it compiles, and every expression inside it parses. Nothing is rendered,
 * so a playbook's malformed templates are found by --syntax-check rather than when a host reaches them.
 */
import Handlebars from 'handlebars';
import { expressionProblem, type SyntaxReport } from '../expr/index.js';
import { compile, TemplateSyntax } from './engine.js';
import { rewrite } from './rewrite.js';
import { jinjaProblem } from './jinja/check.js';
import { isJinjaText } from './render.js';
import { isTemplated } from './scope.js';

interface Node {
  type: string;
  body?: Node[];
  params?: Node[];
  hash?: { pairs: { value: Node }[] };
  program?: Node;
  inverse?: Node;
  path?: { original?: string };
  value?: unknown;
}

/** Why a template string can never render (bad template syntax, or an expression that does not parse), or undefined. */
export function templateProblem(text: string): SyntaxReport | undefined {
  if (!isTemplated(text)) return undefined;
  if (isJinjaText(text)) return jinjaProblem(text);
  const compiled = compile(text, true);
  if (compiled instanceof TemplateSyntax) return { message: compiled.message, hint: compiled.hint };
  // it compiled, so rewriting and parsing succeed again; the expressions sit in `(__expr "src" ...)` calls
  const ast = Handlebars.parse(rewrite(text, true).text) as unknown as Node;
  for (const src of expressions(ast)) {
    const problem = expressionProblem(src);
    if (problem) return problem;
  }
  return undefined;
}

function expressions(n: Node, out: string[] = []): string[] {
  const first = n.params?.[0];
  if (n.type === 'SubExpression' && n.path?.original === '__expr' && first?.type === 'StringLiteral') out.push(String(first.value));
  for (const child of [...(n.body ?? []), ...(n.params ?? []), ...(n.hash?.pairs.map((p) => p.value) ?? []), n.program, n.inverse]) {
    if (child) expressions(child, out);
  }
  return out;
}
