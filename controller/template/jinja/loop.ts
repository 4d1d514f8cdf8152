/**
 * Jinja's for loop, the parts that need no renderer: what a loop walks, the names it binds for each item
 * (`for k, v in` unpacks a pair), and the `loop` variable (index, first, last, cycle(), changed()...).
 */
import { Callable } from '../../expr/callable.js';
import { isDict, typeName } from '../../expr/values.js';

/** Names bound in one scope of a template. */
export type Frame = Map<string, unknown>;

/** Reports a failure at the loop's line: the message and a hint. */
export type Fail = (message: string, hint: string) => never;

/** What a for loop walks: list items, dict keys, string characters; anything else fails. */
export function iterate(v: unknown, fail: Fail): unknown[] {
  if (Array.isArray(v)) return v;
  if (isDict(v)) return Object.keys(v);
  if (typeof v === 'string') return [...v];
  return fail(`cannot loop over ${typeName(v)}`, 'loop over a list, a dict or a string');
}

/** The names bound to one item: `for x in` binds the item, `for a, b in` unpacks a list (or a text) of as many values. */
export function unpack(names: string[], item: unknown, fail: Fail): Frame {
  if (names.length === 1) return new Map([[names[0], item]]);
  const parts = Array.isArray(item) ? item : typeof item === 'string' ? [...item] : undefined;
  if (!parts || parts.length !== names.length) {
    return fail(`cannot unpack ${typeName(item)} into ${names.join(', ')}`, `each item must be a list of ${names.length} values (dict.items() gives pairs)`);
  }
  return new Map(names.map((name, i) => [name, parts[i]]));
}

/** The `loop` variable of each item in turn; loop.changed() compares with its previous call, across items. */
export function loopVariables(items: unknown[], fail: Fail): Record<string, unknown>[] {
  const length = items.length;
  let last: unknown;
  return items.map((_item, i) => {
    const loop: Record<string, unknown> = {
      index: i + 1,
      index0: i,
      revindex: length - i,
      revindex0: length - i - 1,
      first: i === 0,
      last: i === length - 1,
      length,
      depth: 1,
      depth0: 0,
      previtem: i > 0 ? items[i - 1] : undefined,
      nextitem: i < length - 1 ? items[i + 1] : undefined,
      cycle: new Callable('loop.cycle', (args) => {
        if (!args.length) fail('loop.cycle() needs values', "write loop.cycle('odd', 'even')");
        return args[i % args.length];
      }),
      changed: new Callable('loop.changed', (args) => {
        const key = JSON.stringify(args);
        const was = key !== last;
        last = key;
        return was;
      }),
    };
    if (i === 0) delete loop.previtem;
    if (i === length - 1) delete loop.nextitem;
    return loop;
  });
}
