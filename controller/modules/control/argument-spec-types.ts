/** The type conversions of Ansible's argument spec validator (check_type_*), one value at a time. Pure. */
import { parseBool } from '../../../shared/boolean.js';

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What convert returns for a value the type does not take. */
export const FAIL = Symbol('fail');
const INT = /^\s*[+-]?\d+(_\d+)*\s*$/;
const FLOAT = /^\s*[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][+-]?\d+)?|\d+(_\d+)*\.|inf(inity)?|nan)\s*$/i;
const SIZE = /^\s*\d+(\.\d+)?\s*([KMGTPEZY]i?)?[Bb]?\s*$/i;

/** Ansible's check_type_* for one value: the converted value, or FAIL. */
export function convert(type: string, v: unknown): unknown {
  switch (type) {
    case 'str':
    case 'path':
      return typeof v === 'string' ? v : pyStr(v);
    case 'raw':
      return v;
    case 'int':
      if (typeof v === 'boolean') return v ? 1 : 0;
      // YAML's 8080.0 is a float Python refuses here; JavaScript reads it as 8080, so it passes
      if (typeof v === 'number') return Number.isInteger(v) ? v : FAIL;
      return typeof v === 'string' && INT.test(v) ? Number.parseInt(v.replace(/_/g, ''), 10) : FAIL;
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return typeof v === 'string' && FLOAT.test(v)
        ? Number(
            v
              .replace(/_/g, '')
              .trim()
              .replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'),
          )
        : FAIL;
    case 'bool': {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return FAIL;
      return parseBool(v) ?? FAIL;
    }
    case 'list':
      if (Array.isArray(v)) return v;
      if (typeof v === 'string') return v.split(',');
      if (typeof v === 'number' || typeof v === 'boolean') return [pyStr(v)];
      return FAIL;
    case 'dict':
      if (isMapping(v)) return v;
      return typeof v === 'string' ? (parseDict(v) ?? FAIL) : FAIL;
    case 'bytes':
    case 'bits':
      return typeof v === 'number' || (typeof v === 'string' && SIZE.test(v)) ? v : FAIL;
    case 'json':
    case 'jsonarg':
      return typeof v === 'string' || Array.isArray(v) || isMapping(v) ? v : FAIL;
    default:
      return FAIL;
  }
}

/** A dict from text as check_type_dict reads it: JSON when it starts with `{`, else `k=v` pairs split on spaces and commas. */
function parseDict(text: string): Mapping | undefined {
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return isMapping(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (!text.includes('=')) return undefined;
  const fields: string[] = [];
  let buf = '';
  let quote: string | undefined;
  let escaped = false;
  for (const c of text.trim()) {
    if (escaped) {
      buf += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (!quote && (c === "'" || c === '"')) quote = c;
    else if (quote === c) quote = undefined;
    else if (!quote && (c === ',' || c === ' ')) {
      if (buf) fields.push(buf);
      buf = '';
    } else buf += c;
  }
  if (buf) fields.push(buf);
  const out: Mapping = {};
  for (const f of fields) {
    const eq = f.indexOf('=');
    if (eq < 0) return undefined;
    out[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return out;
}

/** Python's str() of a plain value, for messages and str conversion. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}
