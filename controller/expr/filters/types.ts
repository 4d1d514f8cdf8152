/** What filters, tests and methods are, and what they may ask of the evaluator. */

/** The evaluator's services for one call: fail at the call site, reach other filters and tests. */
export interface CallCtx {
  /** Throws an expression error pointing at the call. */
  fail(message: string, hint?: string): never;
  /** The strict undefined for a missing attribute (selectattr('x', 'defined') needs one). */
  missing(path: string): object;
  /** Runs a test by name (select, selectattr). */
  test(name: string, value: unknown, args: unknown[]): boolean;
  /** Runs a filter by name (map). */
  filter(name: string, value: unknown, args: unknown[]): unknown;
}

/**
 * One filter or test. Arguments arrive as plain values, positional first; `params` names them so that
 * `name=value` keywords land in the right slot. With `kwargs`, unknown keywords pass through instead.
 */
export interface Callable<R> {
  params: string[];
  /** accepts more positional arguments than `params` names (combine, select) */
  variadic?: boolean;
  /** receives keywords not in `params` (map's attribute=, default=) */
  kwargs?: boolean;
  /** the value may be a strict undefined (default, mandatory, defined) */
  acceptsUndefined?: boolean;
  fn(value: unknown, args: unknown[], ctx: CallCtx, kw: Record<string, unknown>): R;
}

/** A filter: `value | name(args)`. */
export type Filter = Callable<unknown>;
/** A test: `value is name(args)`. */
export type Test = Callable<boolean>;

/** Puts keyword arguments in their positional slot; leftovers are returned for `kwargs` callables. */
export function bindArgs<R>(
  kind: string,
  name: string,
  spec: Callable<R>,
  args: unknown[],
  kwargs: Record<string, unknown>,
  ctx: CallCtx,
): [unknown[], Record<string, unknown>] {
  const bound = [...args];
  const extra: Record<string, unknown> = {};
  if (!spec.variadic && args.length > spec.params.length) {
    ctx.fail(`the ${name} ${kind} takes at most ${spec.params.length} argument(s), got ${args.length}`, usage(kind, name, spec));
  }
  for (const [key, value] of Object.entries(kwargs)) {
    const i = spec.params.indexOf(key);
    if (i >= 0) bound[i] = value;
    else if (spec.kwargs) extra[key] = value;
    else ctx.fail(`the ${name} ${kind} has no argument "${key}"`, usage(kind, name, spec));
  }
  return [bound, extra];
}

function usage<R>(kind: string, name: string, spec: Callable<R>): string {
  const list = spec.params.join(', ');
  return kind === 'test' ? `write: value is ${name}${list ? `(${list})` : ''}` : `write: value | ${name}${list ? `(${list})` : ''}`;
}
