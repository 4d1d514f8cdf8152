/** Splitting the facts script's output into its named sections, and small readers shared by the parsers. */
import { SECTION_MARK } from './script.js';

/** The facts output as named sections of text (missing sections read as ''). */
export type Sections = (name: string) => string;

/** Splits the script's output at its section marks. */
export function splitSections(out: string): Sections {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith(`${SECTION_MARK} `)) {
      current = [];
      found.set(line.slice(SECTION_MARK.length + 1).trim(), current);
    } else if (current) {
      current.push(line);
    }
  }
  // printf starts each mark with a newline so that a file without a final newline ends cleanly: drop it.
  return (name) => (found.get(name) ?? []).join('\n').replace(/\n+$/, '');
}

/** Non-empty, trimmed lines. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** `key=value` lines as a map (the first `=` splits; later duplicates win). */
export function keyValues(text: string): Map<string, string> {
  const kv = new Map<string, string>();
  for (const l of lines(text)) {
    const i = l.indexOf('=');
    if (i > 0) kv.set(l.slice(0, i), l.slice(i + 1));
  }
  return kv;
}

/** An integer, or undefined for anything else. */
export function int(s: string | undefined): number | undefined {
  if (s === undefined || !/^-?\d+$/.test(s.trim())) return undefined;
  return Number.parseInt(s.trim(), 10);
}
