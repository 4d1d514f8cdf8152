/** Compose durations (`1m30s`, `10s`, `500ms`, `1h`, `2us`) in seconds, as Go's time.ParseDuration reads them. */
import { type At, schemaError } from './fields.js';

const UNIT_S: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds for a duration, or undefined when it is not one; `0` alone is zero, other bare numbers have no unit. */
export function parseDuration(v: unknown): number | undefined {
  if (v === 0 || v === '0') return 0;
  if (typeof v !== 'string' || v === '') return undefined;
  let rest = v.trim();
  let total = 0;
  if (rest === '') return undefined;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_S[m[2]];
    rest = rest.slice(m[0].length);
  }
  // round away floating noise below a nanosecond (1m30.1s is 90.1, not 90.10000000000001)
  return Math.round(total * 1e9) / 1e9;
}

/** A duration at a place in the file, in seconds. */
export function readDuration(at: At): number {
  const s = parseDuration(at.v);
  if (s === undefined) throw schemaError(at, `"${String(at.v)}" is not a duration`, 'write a duration with its unit, such as 10s, 1m30s, 500ms or 1h');
  return s;
}
