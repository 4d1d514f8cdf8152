/** The expression AST: what `when:`, `changed_when:`, `until:` and `{{ a | filter }}` bodies parse into. */

/** Comparison and arithmetic operators, Jinja's spelling. */
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in';

/** A call's arguments: positional, then `name=value`. */
export interface Args {
  args: Expr[];
  kwargs: [string, Expr][];
}

/** One node; `at` is the 0-based offset in the source, for error carets. */
export type Expr =
  | { kind: 'literal'; value: unknown; at: number }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'list'; items: Expr[]; at: number }
  | { kind: 'dict'; entries: [Expr, Expr][]; at: number }
  | { kind: 'attr'; object: Expr; name: string; at: number }
  | { kind: 'index'; object: Expr; index: Expr; at: number }
  | { kind: 'slice'; object: Expr; start?: Expr; stop?: Expr; at: number }
  | ({ kind: 'call'; callee: Expr; at: number } & Args)
  | ({ kind: 'filter'; value: Expr; name: string; at: number } & Args)
  | ({ kind: 'test'; value: Expr; name: string; negated: boolean; at: number } & Args)
  | { kind: 'not'; operand: Expr; at: number }
  | { kind: 'neg'; operand: Expr; at: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; at: number }
  | { kind: 'compare'; first: Expr; rest: [BinaryOp, Expr][]; at: number }
  | { kind: 'logic'; op: 'and' | 'or'; left: Expr; right: Expr; at: number }
  | { kind: 'cond'; test: Expr; then: Expr; otherwise?: Expr; at: number };
