/**
 * The variables one render or evaluation sees. Lookups go through read-only proxies so that
 * Handlebars and the expression evaluator share three behaviours: a missing name yields a strict
 * undefined (see undefined.ts), a value that is itself a template is rendered when first read
 * (`url: "http://{{ host }}/"`), and a variable defined in terms of itself is reported, not looped on.
 */
import { didYouMean, type ErrorCode, type MusterError } from '../../shared/errors.js';
import { isDict, setKey } from '../expr/values.js';
import type { Vars } from '../modules/types.js';
import { copyPos } from '../../shared/yaml.js';
import { defined, isUndefined, makeUndefined } from './undefined.js';
import { errorAt, type Where } from './where.js';

/** Renders a variable's templated value (natively: a lone `{{ x }}` keeps its type) with the same scope. */
export type LazyRender = (text: string, scope: Scope) => unknown;

interface Wrapped {
  target: object;
  path: string;
}

interface Resolving {
  target: object;
  key: string;
  path: string;
}

const wrapped = new WeakMap<object, Wrapped>();
// nested lazy variables deeper than this are a runaway, whatever their names
const MAX_DEPTH = 64;

/** What `{{ omit }}` renders to; renderDeep drops dict entries and list items holding it (Ansible's `default(omit)`). */
export const OMIT = '__omit_place_holder__muster';

/** Whether a string holds a template (`{{ }}`, a Jinja `{% %}` statement or `{# #}` comment). */
export function isTemplated(s: unknown): s is string {
  return typeof s === 'string' && (s.includes('{{') || s.includes('{%') || s.includes('{#'));
}

/** `a.b`, `a[0]`, `a['odd key']`: how a path to a variable is shown. */
export function childPath(parent: string, key: string): string {
  if (/^\d+$/.test(key)) return `${parent}[${key}]`;
  if (/^[A-Za-z_]\w*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The variables of one render: lookups, lazy rendering with loop detection, and errors located at `where`. */
export class Scope {
  /** The variables as a proxy: what templates and expressions look names up in. */
  readonly root: object;
  private readonly proxies = new WeakMap<object, object>();
  private readonly memo = new WeakMap<object, Map<string, unknown>>();
  // values produced by rendering: final, never rendered again
  private readonly rendered = new WeakSet<object>();
  private readonly resolving: Resolving[] = [];

  constructor(
    readonly vars: Vars,
    readonly where: Where,
    readonly code: ErrorCode,
    private readonly lazy: LazyRender,
  ) {
    this.root = this.wrap(vars, '') as object;
  }

  /** An error of this scope's code, located at its `where`. */
  error(message: string, hint?: string): MusterError {
    return errorAt(this.code, message, this.where, hint);
  }

  /** `key` of `target` as templates see it: rendered if templated, wrapped if a list or dict, undefined if missing. */
  read(target: object, key: string, parentPath: string): unknown {
    const path = childPath(parentPath, key);
    if (!Object.hasOwn(target, key)) {
      if (target === this.vars && key === 'omit') return OMIT;
      return this.missing(path, Array.isArray(target) ? [] : Object.keys(target));
    }
    return this.wrap(this.resolve(target, key, path), path);
  }

  /** The strict undefined for `path`; `candidates` feed the "did you mean" hint. */
  missing(path: string, candidates: string[] = []): object {
    return makeUndefined(() => {
      throw this.undefinedError(path, candidates);
    });
  }

  /** The value wrapped for lookups when it is a list or dict; anything else as is. */
  wrap(value: unknown, path: string): unknown {
    if (value === null || typeof value !== 'object' || wrapped.has(value) || isUndefined(value)) return value;
    if (!Array.isArray(value) && !isDict(value)) return value;
    let p = this.proxies.get(value);
    if (!p) {
      p = this.proxy(value, path);
      this.proxies.set(value, p);
    }
    return p;
  }

  /** A plain deep copy with every templated string rendered: what leaves the template engine. */
  materialize(v: unknown): unknown {
    if (v === null || typeof v !== 'object' || isUndefined(v)) return v;
    const w = wrapped.get(v);
    if (w) return this.plain(w.target, w.path, new Set());
    // values built by the evaluator: unwrap what they hold, render nothing (their strings are data);
    // a strict undefined inside a list or dict fails here, before it can travel any further
    if (Array.isArray(v)) return v.map((x) => this.materialize(defined(x)));
    if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.materialize(defined(x))]));
    return v;
  }

  /** How many variables are being rendered lazily right now (0: the template itself is running). */
  get depth(): number {
    return this.resolving.length;
  }

  /** Whether `v` is one of our lookup proxies (its missing keys read as strict undefined). */
  isWrapped(v: unknown): v is object {
    return typeof v === 'object' && v !== null && wrapped.has(v);
  }

  private plain(v: object, path: string, seen: Set<object>): unknown {
    const w = wrapped.get(v);
    if (w) return this.plain(w.target, w.path, seen);
    if (this.rendered.has(v) || !(Array.isArray(v) || isDict(v))) return v;
    if (seen.has(v)) throw this.error(`variable "${path}" contains itself`, 'a YAML alias must not point at one of its own parents');
    seen.add(v);
    const item = (key: string) => {
      const p = childPath(path, key);
      const x = this.resolve(v, key, p);
      return x !== null && typeof x === 'object' ? this.plain(x, p, seen) : x;
    };
    let copy: unknown[] | Record<string, unknown>;
    if (Array.isArray(v)) {
      copy = v.map((_, i) => item(String(i)));
    } else {
      copy = {};
      for (const key of Object.keys(v)) setKey(copy, key, item(key));
    }
    seen.delete(v);
    return copyPos(v, copy);
  }

  // the raw value of target[key], rendered once per scope when it is a template
  private resolve(target: object, key: string, path: string): unknown {
    const raw = (target as Record<string, unknown>)[key];
    if (!isTemplated(raw) || this.rendered.has(target)) return raw;
    const memo = this.memo.get(target);
    if (memo?.has(key)) return memo.get(key);
    const loop = this.resolving.findIndex((r) => r.target === target && r.key === key);
    if (loop >= 0) {
      const chain = [...this.resolving.slice(loop).map((r) => r.path), path].join(' -> ');
      throw this.error(
        `variable "${path}" is defined in terms of itself: ${chain}`,
        'break the cycle: one of these variables must get a value that does not refer back to the others',
      );
    }
    if (this.resolving.length >= MAX_DEPTH) {
      throw this.error(
        `variables refer to each other more than ${MAX_DEPTH} levels deep (at "${path}")`,
        'flatten the chain of variables that are defined through other variables',
      );
    }
    this.resolving.push({ target, key, path });
    let value: unknown;
    try {
      value = this.lazy(raw, this);
    } finally {
      this.resolving.pop();
    }
    if (value !== null && typeof value === 'object') this.rendered.add(value);
    if (memo) memo.set(key, value);
    else this.memo.set(target, new Map([[key, value]]));
    return value;
  }

  private undefinedError(path: string, candidates: string[]): MusterError {
    const leaf = /([A-Za-z_]\w*)$/.exec(path)?.[1] ?? path;
    const via = this.resolving.length ? ` (needed by variable "${this.resolving[this.resolving.length - 1].path}")` : '';
    const hint =
      this.code === 'E_EXPR'
        ? `define it (vars, group_vars, host_vars, set_fact or register), or test it first: ${path} is defined`
        : `define it (vars, group_vars, host_vars, set_fact or register), or give a fallback: {{ ${path} | default('...') }}`;
    return this.error(`undefined variable "${path}"${didYouMean(leaf, candidates)}${via}`, hint);
  }

  private proxy(target: object, path: string): object {
    const isList = Array.isArray(target);
    // a blank stand-in as the proxy target keeps Proxy invariants whatever the real object's property flags are
    const p = new Proxy(isList ? [] : {}, {
      get: (_t, key) => (typeof key === 'symbol' ? Reflect.get(target, key) : this.read(target, key, path)),
      has: (_t, key) => Object.hasOwn(target, key),
      ownKeys: () => Reflect.ownKeys(target),
      getOwnPropertyDescriptor: (_t, key) => {
        if (isList && key === 'length') return { value: (target as unknown[]).length, writable: true, enumerable: false, configurable: false };
        const d = Reflect.getOwnPropertyDescriptor(target, key);
        if (d) return { ...d, configurable: true };
        // Handlebars returns only own properties: a missing name must look own so that its strict undefined reaches us
        return typeof key === 'string' ? { value: this.read(target, key, path), writable: true, enumerable: false, configurable: true } : undefined;
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    });
    wrapped.set(p, { target, path });
    return p;
  }
}
