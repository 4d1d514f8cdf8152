/** The lookups that reshape their terms into loop items: items, flattened, list, dict, indexed_items, together, nested, subelements, random_choice, vars. */
import { toBool } from '../../../shared/boolean.js';
import { isDict, typeName } from '../values.js';
import type { Lookup, LookupCtx } from './types.js';

/** One level of flattening: lists in the terms give their items (with_items). */
function flatOnce(terms: unknown[]): unknown[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/** Every level of flattening (nested: each combination is one flat list). */
function flatDeep(v: unknown[]): unknown[] {
  return v.flatMap((x) => (Array.isArray(x) ? flatDeep(x) : [x]));
}

// a term as a list: a list as is, anything else as a one-item list (Ansible's listify)
function listify(t: unknown): unknown[] {
  return Array.isArray(t) ? t : [t];
}

const items: Lookup = { options: [], run: (terms) => flatOnce(terms) };

// community.general.flattened: every level; like it, the text 'None' or 'null' ends the list it is in
function flatAll(terms: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const t of terms) {
    if (t === 'None' || t === 'null') break;
    if (Array.isArray(t)) out.push(...flatAll(t));
    else out.push(t);
  }
  return out;
}

const flattened: Lookup = { options: [], run: (terms) => flatAll(terms) };

const list: Lookup = { options: [], run: (terms) => terms };

const dict: Lookup = {
  options: [],
  run(terms, _o, ctx) {
    return terms.flatMap((t) => {
      if (!isDict(t))
        return ctx.fail(`expects a dict, got ${typeName(t)}`, 'write with_dict: "{{ mydict }}" (a mapping), or loop: "{{ mydict | dict2items }}"');
      return Object.entries(t).map(([key, value]) => ({ key, value }));
    });
  },
};

const indexedItems: Lookup = {
  options: [],
  run: (terms) => flatOnce(terms).map((x, i) => [i, x]),
};

const together: Lookup = {
  options: [],
  run(terms, _o, ctx) {
    const lists = terms.map(listify);
    if (!lists.length) return ctx.fail('needs at least one list', 'write with_together: [list_a, list_b]');
    const n = Math.max(...lists.map((l) => l.length));
    // zip_longest: the shorter lists are padded with none
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
  },
};

const nested: Lookup = {
  options: [],
  run(terms, _o, ctx) {
    const lists = terms.map(listify);
    if (!lists.length) return ctx.fail('needs at least one list', 'write with_nested: [list_a, list_b]');
    let out: unknown[][] = lists[0].map((x) => [x]);
    for (const l of lists.slice(1)) out = out.flatMap((combo) => l.map((y) => [...combo, y]));
    if (out.length > 100_000) return ctx.fail(`gives ${out.length} combinations (over 100000)`, 'loop over fewer or shorter lists');
    return out.map(flatDeep);
  },
};

const SUB_FLAGS = ['skip_missing'];

const subelements: Lookup = {
  options: ['skip_missing'],
  run(terms, options, ctx) {
    const usage = 'write with_subelements: [users, "authorized"] or add a third item {skip_missing: true}';
    if (terms.length < 2 || terms.length > 3) return ctx.fail(`expects two or three terms, got ${terms.length}`, usage);
    const [first, key, flags = {}] = terms;
    if (!(Array.isArray(first) || isDict(first)) || typeof key !== 'string')
      return ctx.fail('expects first a list (or dict), second a string naming the subkey', usage);
    if (!isDict(flags) || Object.keys(flags).some((k) => !SUB_FLAGS.includes(k)))
      return ctx.fail(`the optional third term must be a dict with the flags ${SUB_FLAGS.join(', ')}`, usage);
    const skipMissing = toBool(flags.skip_missing ?? options.skip_missing ?? false);
    if (isDict(first) && first.skipped !== undefined && first.skipped !== false) return [];
    const elements = Array.isArray(first) ? first : Object.values(first);
    const path = key.split('.');
    const out: unknown[] = [];
    for (const element of elements) {
      if (!isDict(element)) return ctx.fail(`expects each element to be a dict, got ${typeName(element)}`, usage);
      if (element.skipped !== undefined && element.skipped !== false) continue;
      const sub = subList(element, path, skipMissing, ctx);
      if (sub === undefined) continue;
      // like Ansible, the first item is the element without the subkey it was taken from
      for (const x of sub.list) out.push([sub.parent, x]);
    }
    return out;
  },
};

// the list at `path` inside `element`, and `element` copied without that list; undefined to skip it
function subList(
  element: Record<string, unknown>,
  path: string[],
  skipMissing: boolean,
  ctx: LookupCtx,
): { list: unknown[]; parent: Record<string, unknown> } | undefined {
  const parent = structuredClone(element);
  let node: Record<string, unknown> = parent;
  for (const [i, k] of path.entries()) {
    const last = i === path.length - 1;
    if (!Object.hasOwn(node, k)) {
      if (skipMissing) return undefined;
      return ctx.fail(`could not find the key "${k}" in the element ${JSON.stringify(element)}`, 'add skip_missing: true to skip elements without it');
    }
    const v = node[k];
    if (!last) {
      if (!isDict(v)) {
        if (skipMissing) return undefined;
        return ctx.fail(`the key "${k}" should hold a dict, got ${typeName(v)}`);
      }
      node = v;
      continue;
    }
    if (!Array.isArray(v)) return ctx.fail(`the key "${k}" should hold a list, got ${typeName(v)}`);
    delete node[k];
    return { list: v, parent };
  }
  return undefined;
}

const randomChoice: Lookup = {
  options: [],
  run(terms, _o, ctx) {
    if (!terms.length) return [];
    const n = terms.length;
    const i = ctx.io ? ctx.io.randomInt(n) : Math.floor(Math.random() * n);
    return [terms[i]];
  },
};

const vars: Lookup = {
  options: ['default'],
  run(terms, options, ctx) {
    return terms.map((name) => {
      if (typeof name !== 'string') return ctx.fail(`variable names must be strings, got ${typeName(name)}`);
      const found = ctx.variable(name);
      if (found) return found.value;
      if (Object.hasOwn(options, 'default')) return options.default;
      return ctx.fail(`no variable named "${name}"`, `define it, or give a fallback: lookup('vars', '${name}', default='')`);
    });
  },
};

/** The pure list-shaping lookups, by name. */
export const listLookups: Record<string, Lookup> = {
  items,
  flattened,
  list,
  dict,
  indexed_items: indexedItems,
  together,
  nested,
  cartesian: nested,
  subelements,
  random_choice: randomChoice,
  vars,
};
