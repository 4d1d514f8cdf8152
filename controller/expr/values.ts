/** Python/Jinja value semantics over plain JS values: truthiness, conversions, equality, ordering. */
import { toBool as sharedToBool } from '../../shared/boolean.js';

/** A mapping: a plain object (not a class instance such as a Secret or a Buffer). */
export function isDict(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Sets an own enumerable key, even one named `__proto__` (plain assignment would change the prototype). */
export function setKey(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Python's name for a value's type, for error messages. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (isDict(v)) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

/** Python truthiness: none, false, 0, '' and empty lists/dicts are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  if (typeof v === 'number') return v !== 0;
  return Boolean(v);
}

/** Text for output and `~`: none is empty, booleans are lowercase, lists and dicts are JSON. */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) || isDict(v)) return JSON.stringify(v);
  return String(v);
}

/** Ansible's `bool` filter, lenient: true for what shared/boolean.ts reads as true, everything else false. */
export const toBool = sharedToBool;

/** Jinja's `int`: numbers truncate, numeric text parses (also '0x1f', '0o17', '0b101' and '3.7'), else the fallback. */
export function toInt(v: unknown, fallback = 0): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v !== 'string') return fallback;
  const s = v.trim().replace(/_/g, '');
  if (/^[+-]?0[xob][0-9a-f]+$/i.test(s)) {
    const n = Number(s.replace(/^[+-]/, ''));
    return s.startsWith('-') ? -n : n;
  }
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** Jinja's `float`: numeric text parses, else the fallback. */
export function toFloat(v: unknown, fallback = 0): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return fallback;
  const n = Number(v.trim());
  return Number.isNaN(n) ? fallback : n;
}

/** Length of a string, list or dict; undefined for anything else. */
export function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  return undefined;
}

/** Deep equality with Python's rules (1 == 1.0, True == 1, lists and dicts by content). */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true;
  if ((typeof a === 'number' || typeof a === 'boolean') && (typeof b === 'number' || typeof b === 'boolean')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/** Python ordering: numbers with numbers, strings with strings, lists element-wise; undefined if not comparable. */
export function order(a: unknown, b: unknown): number | undefined {
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na - nb;
  if (typeof na === 'string' && typeof nb === 'string') return na < nb ? -1 : na > nb ? 1 : 0;
  if (Array.isArray(na) && Array.isArray(nb)) {
    for (let i = 0; i < Math.min(na.length, nb.length); i++) {
      const c = order(na[i], nb[i]);
      if (c === undefined || c !== 0) return c;
    }
    return na.length - nb.length;
  }
  return undefined;
}

/** Whether `item` is in `container` (substring, list member, dict key); undefined if `in` does not apply. */
export function contains(container: unknown, item: unknown): boolean | undefined {
  if (typeof container === 'string') return typeof item === 'string' ? container.includes(item) : undefined;
  if (Array.isArray(container)) return container.some((x) => equal(x, item));
  if (isDict(container)) return Object.hasOwn(container, toStr(item));
  return undefined;
}
