/** Compose byte sizes (`64m`, `1.5g`, `512k`, `100b`, plain numbers are bytes), binary units as Docker reads them. */
import { type At, schemaError } from './fields.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Bytes for a size, or undefined when it is not one (`64m` and `64M`, `64mb`, `64MiB` are all 64 MiB). */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(v);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]);
}

/** A size at a place in the file, at least `min` bytes. */
export function readSize(at: At, min = 0, minWhy?: string): number {
  const n = parseSize(at.v);
  if (n === undefined) throw schemaError(at, `"${String(at.v)}" is not a size`, 'write a number of bytes or a size such as 512k, 64m, 1.5g');
  if (n < min)
    throw schemaError(at, `${String(at.v)} is ${n} bytes, under ${formatSize(min)}${minWhy ? ` (${minWhy})` : ''}`, `write at least ${formatSize(min)}`);
  return n;
}

/** A size for people: `6m`, `1.5g`, `100b`. */
export function formatSize(bytes: number): string {
  for (const [unit, f] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (bytes >= f) return `${Number((bytes / f).toFixed(2))}${unit}`;
  }
  return `${bytes}b`;
}
