/**
 * Python's `str()` and `repr()` of template values: what `{{ x }}` prints in a Jinja template under
 * Ansible. Booleans are `True`/`False`, none is `None`, lists and dicts print as Python literals.
 */
import { Secret } from '../command.js';
import { isDict } from './values.js';

/** `str(v)`: text as is, everything else as Python shows it. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Secret) return v.value;
  return pyRepr(v);
}

/** `repr(v)`. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return quote(v);
  if (v instanceof Secret) return quote(v.value);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${quote(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return String(v);
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) || Math.abs(n) >= 1e-4) return String(n);
  // Python writes small floats with an exponent of at least two digits: 1e-05
  return n.toExponential().replace(/e-(\d)$/, 'e-0$1');
}

// Python's string repr: single quotes unless the text holds a single quote and no double quote
function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}
