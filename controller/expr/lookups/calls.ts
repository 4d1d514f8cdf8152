/** The lookup calls an expression makes with a literal name: what a load-time check can see. */
import type { Expr } from '../ast.js';

/** `lookup('name', ...)`, `query(...)` and `q(...)` calls whose name is a literal, with their offsets. */
export function lookupsIn(e: Expr, out: { name: string; at: number }[] = []): { name: string; at: number }[] {
  if (e.kind === 'call' && e.callee.kind === 'name' && ['lookup', 'query', 'q'].includes(e.callee.name)) {
    const first = e.args[0];
    if (first?.kind === 'literal' && typeof first.value === 'string') out.push({ name: first.value, at: first.at });
  }
  for (const child of children(e)) lookupsIn(child, out);
  return out;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'literal':
    case 'name':
      return [];
    case 'list':
      return e.items;
    case 'dict':
      return e.entries.flat();
    case 'attr':
      return [e.object];
    case 'index':
      return [e.object, e.index];
    case 'slice':
      return [e.object, ...(e.start ? [e.start] : []), ...(e.stop ? [e.stop] : [])];
    case 'call':
      return [e.callee, ...e.args, ...e.kwargs.map(([, v]) => v)];
    case 'filter':
    case 'test':
      return [e.value, ...e.args, ...e.kwargs.map(([, v]) => v)];
    case 'not':
    case 'neg':
      return [e.operand];
    case 'binary':
    case 'logic':
      return [e.left, e.right];
    case 'compare':
      return [e.first, ...e.rest.map(([, x]) => x)];
    case 'cond':
      return [e.test, e.then, ...(e.otherwise ? [e.otherwise] : [])];
  }
}
