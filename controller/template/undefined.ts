/**
 * Jinja's StrictUndefined: what a lookup of a missing variable returns. It may be tested (`is defined`),
 * defaulted (`default`) or looked into (its attributes are itself), but printing, comparing or iterating
 * it raises the "undefined variable" error.
 */

class UndefinedTarget {}

const fails = new WeakMap<object, () => never>();

/** A stand-in for the missing `path`; `fail` throws the error that names it. */
export function makeUndefined(fail: () => never): object {
  const thrower = () => fail();
  const self: object = new Proxy(new UndefinedTarget(), {
    get(_t, key) {
      if (key === Symbol.toPrimitive || key === 'toString' || key === 'valueOf' || key === 'toJSON') return thrower;
      return typeof key === 'string' ? self : undefined;
    },
    // Handlebars only trusts own properties: report every attribute as one, so a lookup reaches us instead of a warning
    getOwnPropertyDescriptor(_t, key) {
      return typeof key === 'string' ? { value: self, writable: true, enumerable: false, configurable: true } : undefined;
    },
    has: () => false,
    ownKeys: () => [],
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  fails.set(self, fail);
  return self;
}

/** Whether `v` stands for a missing variable. */
export function isUndefined(v: unknown): boolean {
  return typeof v === 'object' && v !== null && fails.has(v);
}

/** Throws the missing variable's error when `v` is undefined; returns `v` otherwise. */
export function defined<T>(v: T): T {
  if (isUndefined(v)) fails.get(v as object)!();
  return v;
}
