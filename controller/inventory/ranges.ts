/**
 * Host names as written in an inventory: `web[01:10]` ranges (zero padding kept), `[1:9:2]` strides,
 * `node-[a:f]` letters, several ranges in one name, and an optional `:port` suffix.
 */
import { MusterError } from '../../shared/errors.js';

/** Beyond this a range is almost certainly a typo (`[1:100000]`); refusing it beats exhausting memory. */
const MAX_EXPANSION = 10_000;

/** Python's string.ascii_letters order, which Ansible's letter ranges follow (so `[y:B]` is y z A B). */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A host key split into its name pattern and the port written after it, if any. */
export interface HostSpec {
  pattern: string;
  port?: number;
}

/** Splits `name:port` (and `[v6addr]:port`); bare IPv6 addresses and ranges keep their colons. */
export function splitHostPort(spec: string): HostSpec {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(spec);
  if (v6 && isIpv6(v6[1])) return v6[2] === undefined ? { pattern: v6[1] } : { pattern: v6[1], port: Number(v6[2]) };
  const m = /^(.+):(\d+)$/.exec(spec);
  if (m && !hasColonOutsideBrackets(m[1])) return { pattern: m[1], port: Number(m[2]) };
  return { pattern: spec };
}

/** Expands every `[begin:end(:step)]` in a host name; a name without `[` is returned as is. Throws E_SCHEMA. */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  if (open < 0) return [name];
  const close = name.indexOf(']', open);
  if (close < 0) throw rangeError(name, 'a `[` is never closed', 'close the range: `web[01:10]`');
  const head = name.slice(0, open);
  const tails = expandHostRange(name.slice(close + 1));
  const out: string[] = [];
  for (const value of rangeValues(name, name.slice(open + 1, close))) {
    for (const tail of tails) {
      out.push(head + value + tail);
      if (out.length > MAX_EXPANSION) {
        throw rangeError(name, `expands to more than ${MAX_EXPANSION} hosts`, 'check the range bounds');
      }
    }
  }
  return out;
}

/** The values one `[...]` stands for, padded like its first bound. */
function rangeValues(name: string, body: string): string[] {
  const bounds = body.split(':');
  if (bounds.length < 2 || bounds.length > 3) {
    throw rangeError(name, `\`[${body}]\` is not a range`, 'write a range as [begin:end] or [begin:end:step], e.g. web[01:10]');
  }
  const [begin = '', end = '', stepText = '1'] = bounds;
  const beg = begin === '' ? '0' : begin;
  if (end === '') throw rangeError(name, 'the range has no end', 'write the last value after the colon: [1:9]');
  if (!/^[1-9]\d*$/.test(stepText)) throw rangeError(name, `the step "${stepText}" is not a positive whole number`, 'use [begin:end:step] with step >= 1');
  const step = Number(stepText);
  if (LETTERS.includes(beg) && LETTERS.includes(end) && beg.length === 1 && end.length === 1) {
    return letterRange(name, beg, end, step);
  }
  return numberRange(name, beg, end, step);
}

function letterRange(name: string, beg: string, end: string, step: number): string[] {
  const from = LETTERS.indexOf(beg);
  const to = LETTERS.indexOf(end);
  if (from > to) throw rangeError(name, `the range begins after it ends (${beg} > ${end})`, 'swap the bounds');
  const out: string[] = [];
  for (let i = from; i <= to; i += step) out.push(LETTERS[i]);
  return out;
}

function numberRange(name: string, beg: string, end: string, step: number): string[] {
  if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) {
    throw rangeError(name, `bounds "${beg}" and "${end}" are neither numbers nor single letters`, 'use numbers ([01:10]) or letters ([a:f])');
  }
  const padded = beg.length > 1 && beg.startsWith('0');
  if (padded && beg.length !== end.length) {
    throw rangeError(name, `zero-padded bounds must have the same width ("${beg}" and "${end}")`, `write the end as ${end.padStart(beg.length, '0')}`);
  }
  const from = Number(beg);
  const to = Number(end);
  if (from > to) throw rangeError(name, `the range begins after it ends (${beg} > ${end})`, 'swap the bounds');
  if ((to - from) / step >= MAX_EXPANSION) {
    throw rangeError(name, `expands to more than ${MAX_EXPANSION} hosts`, 'check the range bounds');
  }
  const out: string[] = [];
  for (let i = from; i <= to; i += step) out.push(padded ? String(i).padStart(beg.length, '0') : String(i));
  return out;
}

function rangeError(name: string, what: string, hint: string): MusterError {
  return new MusterError('E_SCHEMA', `bad host range in "${name}": ${what}`, { hint });
}

/** An address like `::1` or `fe80::1:2`: a range has at most two colons and never `::`. */
function isIpv6(s: string): boolean {
  return s.includes('::') || s.split(':').length > 3;
}

function hasColonOutsideBrackets(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) return true;
  }
  return false;
}
