/** sysctl.conf as data: read the `key = value` entries and rewrite the file for one key, as Ansible's sysctl does. */
import { parseBool } from '../../../shared/boolean.js';

function entry(line: string): [string, string] | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#') || t.startsWith(';') || !t.includes('=')) return undefined;
  const i = t.indexOf('=');
  return [t.slice(0, i).trim(), t.slice(i + 1).trim()];
}

/** The value a file sets for `key` (the last entry wins, as `sysctl -p` applies them in order). */
export function fileValue(text: string, key: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const e = entry(line);
    if (e && e[0] === key) found = e[1];
  }
  return found;
}

/** Whether two values are the same setting (whitespace between numbers does not matter: "4096 87380" vs tabs). */
export function sameValue(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const words = (s: string) => s.trim().split(/\s+/).join(' ');
  return words(a) === words(b);
}

/**
 * Pure: the file with `key` set to `value` (or removed). Like Ansible: entries become `key=value`, a key's later
 * duplicates go, comments and blank lines stay, a missing key is appended.
 */
export function setSysctl(text: string, key: string, value: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const e = entry(line);
    if (!e) {
      out.push(line.trim());
      continue;
    }
    if (seen.has(e[0])) continue;
    seen.add(e[0]);
    if (e[0] !== key) out.push(`${e[0]}=${e[1]}`);
    else if (value !== undefined) out.push(`${key}=${value}`);
  }
  if (!seen.has(key) && value !== undefined) out.push(`${key}=${value}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

/** A value as sysctl takes it: booleans (yes/no/true/false...) become 1/0, anything else is trimmed. */
export function sysctlValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v).trim();
  const b = parseBool(s);
  return b === undefined ? s : b ? '1' : '0';
}
