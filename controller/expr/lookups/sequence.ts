/** The sequence lookup: numbers from start to end (or count of them) by stride, each formatted printf-style. */
import { parseKvWords } from './words.js';
import type { Lookup, LookupCtx } from './types.js';

interface Spec {
  start: number;
  end?: number;
  count?: number;
  stride: number;
  format: string;
}

const MAX = 100_000;
const NUM = '(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|[0-9]+)';
// [start-]end[/stride][:format], e.g. "5", "4-8/2", "1-3:host%02d"
const SHORT = new RegExp(`^(?:(${NUM})-)?(${NUM})(?:/(${NUM}))?(?::(.+))?$`);
const USAGE = "write start=1 end=5 (or count=5) with optional stride=2 format=web%02d, or the short form '1-5/2:web%02d'";

function int(text: string, name: string, ctx: LookupCtx): number {
  const t = text.trim();
  const n = /^[-+]?0[xX]/.test(t)
    ? Number.parseInt(t.replace(/0[xX]/, ''), 16) * (t.startsWith('-') ? -1 : 1)
    : /^[-+]?0[oO]/.test(t)
      ? Number.parseInt(t.replace(/0[oO]/, ''), 8) * (t.startsWith('-') ? -1 : 1)
      : /^[-+]?\d+$/.test(t)
        ? Number(t)
        : NaN;
  return Number.isInteger(n) ? n : ctx.fail(`can't parse ${name}=${text} as an integer`, USAGE);
}

/** The spec a term describes (`start=1 end=5 format=x%02d` or `1-5:x%02d`). */
export function parseSequence(term: string, ctx: LookupCtx): Spec {
  const spec: Spec = { start: 1, stride: 1, format: '%d' };
  const short = SHORT.exec(term.trim());
  if (short) {
    const [, start, end, stride, format] = short;
    if (start !== undefined) spec.start = int(start, 'start', ctx);
    spec.end = int(end, 'end', ctx);
    if (stride !== undefined) spec.stride = int(stride, 'stride', ctx);
    if (format !== undefined) spec.format = format;
    return spec;
  }
  const kv = parseKvWords(term);
  if (!kv) return ctx.fail(`can't parse the arguments "${term}"`, USAGE);
  return fromOptions(kv, ctx);
}

function fromOptions(kv: Record<string, unknown>, ctx: LookupCtx): Spec {
  const spec: Spec = { start: 1, stride: 1, format: '%d' };
  for (const [k, v] of Object.entries(kv)) {
    if (k === 'start' || k === 'end' || k === 'count' || k === 'stride') spec[k] = typeof v === 'number' ? v : int(String(v), k, ctx);
    else if (k === 'format') spec.format = String(v);
    else ctx.fail(`unrecognized argument "${k}"`, USAGE);
  }
  return spec;
}

/** The numbers of a spec, formatted; throws through ctx for impossible specs. */
export function generate(spec: Spec, ctx: LookupCtx, format: (fmt: string, n: number) => string): string[] {
  let { start, end, stride } = spec;
  if (spec.count === undefined && end === undefined) return ctx.fail('needs count or end', USAGE);
  if (spec.count !== undefined && end !== undefined) return ctx.fail("can't take both count and end", 'give one of them');
  if (spec.count !== undefined) {
    if (spec.count === 0) return [];
    end = start + spec.count * stride - 1;
    if (stride < 0) end = start + spec.count * stride + 1;
  }
  const last = end as number;
  if (stride > 0 && last < start) return ctx.fail(`end (${last}) is below start (${start})`, 'to count backwards, make stride negative');
  if (stride < 0 && last > start) return ctx.fail(`end (${last}) is above start (${start})`, "to count forwards, don't make stride negative");
  if (spec.format.split('%').length !== 2) return ctx.fail(`bad format string "${spec.format}"`, 'the format takes exactly one %-conversion, e.g. web%02d');
  if (stride === 0) return [];
  const n = Math.floor((last - start) / stride) + 1;
  if (n > MAX) return ctx.fail(`gives ${n} numbers (over ${MAX})`, 'use a smaller range');
  return Array.from({ length: n }, (_, i) => format(spec.format, start + i * stride));
}

/** The sequence lookup; `format` is Python's % formatting (the evaluator lends it). */
export function sequenceLookup(format: (fmt: string, n: number, ctx: LookupCtx) => string): Lookup {
  return {
    options: ['start', 'end', 'count', 'stride', 'format'],
    run(terms, options, ctx) {
      const specs = terms.map((t) =>
        typeof t === 'string' ? parseSequence(t, ctx) : ctx.fail(`expects text such as "start=1 end=5", got ${JSON.stringify(t)}`, USAGE),
      );
      if (!terms.length && Object.keys(options).length) specs.push(fromOptions(options, ctx));
      return specs.flatMap((s) => generate(s, ctx, (f, n) => format(f, n, ctx)));
    },
  };
}
