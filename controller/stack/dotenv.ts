/** `.env` and `env_file` files as Compose reads them: KEY=VALUE lines, `export`, quotes, comments. */
import { MusterError, type Pos } from '../../shared/errors.js';
import { type Env, interpolate } from './interpolate.js';
import type { StackWarning } from './types.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'", $: '$$' };

/**
 * Parses a dotenv file. Unquoted and double-quoted values are interpolated (the lookup first, then the
 * file's earlier lines); single-quoted ones are literal. A bare `KEY` takes its value from the lookup
 * (and is left out when that has none). Throws E_SCHEMA with file:line:col for a line it cannot read.
 */
export function parseDotenv(text: string, file: string, lookup: Env = {}, warn: (w: StackWarning) => void = () => {}): Record<string, string> {
  const out: Record<string, string> = {};
  const env = new Proxy({} as Env, { get: (_, k: string) => lookup[k] ?? out[k] });
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const pos = (col: number): Pos => ({ file, line: n + 1, col });
    let rest = raw.trimStart();
    let col = raw.length - rest.length + 1;
    if (rest === '' || rest.startsWith('#')) continue;
    const exp = /^export\s+/.exec(rest);
    if (exp) {
      rest = rest.slice(exp[0].length);
      col += exp[0].length;
    }
    const key = KEY.exec(rest)?.[0];
    if (!key) throw badLine(`"${raw.trim()}" is not KEY=VALUE`, pos(col));
    rest = rest.slice(key.length);
    const afterKey = col + key.length;
    if (/^\s*(#.*)?$/.test(rest)) {
      const v = lookup[key];
      if (v !== undefined) out[key] = v;
      continue;
    }
    const eq = /^\s*=\s*/.exec(rest);
    if (!eq) throw badLine(`"${raw.trim()}": a key is followed by "=" and its value (a key holds letters, digits, _ . -)`, pos(afterKey));
    rest = rest.slice(eq[0].length);
    const valueCol = afterKey + eq[0].length;
    const site = { pos: pos(valueCol), path: key, warn };
    const q = rest[0];
    if (q === "'" || q === '"') {
      const { body, endLine, tail } = quoted(lines, n, rest.slice(1), q, pos(valueCol));
      if (!/^\s*(#.*)?$/.test(tail)) throw badLine(`unexpected "${tail.trim()}" after the closing ${q}`, { file, line: endLine + 1, col: 1 });
      out[key] = q === "'" ? body : interpolate(unescapeDouble(body), env, site);
      n = endLine;
    } else {
      const value = rest.replace(/(^|\s+)#.*$/, '').trimEnd();
      out[key] = interpolate(value, env, site);
    }
  }
  return out;
}

// A quoted value from just after its opening quote, possibly over several lines: its raw body, the line it ends on, what follows.
function quoted(lines: string[], start: number, first: string, q: string, pos: Pos): { body: string; endLine: number; tail: string } {
  let body = '';
  let text = first;
  for (let n = start; n < lines.length; n++) {
    for (let i = 0; i < text.length; i++) {
      if (q === '"' && text[i] === '\\') {
        body += text.slice(i, i + 2);
        i++;
      } else if (text[i] === q) {
        return { body, endLine: n, tail: text.slice(i + 1) };
      } else {
        body += text[i];
      }
    }
    body += '\n';
    text = lines[n + 1] ?? '';
  }
  throw badLine(`the ${q} that opens this value is never closed`, pos);
}

// Backslash escapes of a double-quoted value; an escaped `$` stays literal through interpolation (as `$$`).
function unescapeDouble(body: string): string {
  return body.replace(/\\(.)/gs, (all, c: string) => ESCAPES[c] ?? all);
}

function badLine(message: string, pos: Pos): MusterError {
  return new MusterError('E_SCHEMA', message, {
    pos,
    hint: 'write one KEY=VALUE per line (quote values with spaces or #; lines starting with # are comments)',
  });
}
