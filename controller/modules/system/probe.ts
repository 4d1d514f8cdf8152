/**
 * Helpers shared by the system modules' probe scripts: a PATH that reaches the admin tools, framed output
 * sections that survive any content (with or without a trailing newline), and small parsers for them.
 */
import { sh, join, type Script, type Secret } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';

/** Puts the sbin directories on PATH: a non-root SSH login on Debian lacks them, and useradd/sysctl live there. */
export const SBIN: Script = sh`PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH`;

/** A script with SBIN in front. */
export function withSbin(...scripts: Script[]): Script {
  return join([SBIN, ...scripts]);
}

/** Frames a script's output as section `name`, ending with the script's exit code (the body must not `exit`: that would end the whole probe). */
export function section(name: string, body: Script): Script {
  // The end marker is printed right after the body's bytes, so the parser recovers the exact content.
  return sh`echo ${`@@muster:begin ${name}`}\n{ ${body}\n}\necho "@@muster:end $?"`;
}

/** One section's content and exit code. */
export interface Section {
  text: string;
  rc: number;
}

/** The sections in a probe's stdout, by name; a section whose end is missing (the script died) is left out. */
export function parseSections(stdout: string): Map<string, Section> {
  const out = new Map<string, Section>();
  const begin = /^@@muster:begin (\S+)\n/gm;
  let m: RegExpExecArray | null;
  let from = 0;
  while ((m = begin.exec(stdout)) && m.index >= from) {
    const start = m.index + m[0].length;
    const end = /@@muster:end (\d+)\n?/g;
    end.lastIndex = start;
    const e = end.exec(stdout);
    if (!e) break;
    out.set(m[1], { text: stdout.slice(start, e.index), rc: Number(e[1]) });
    from = end.lastIndex;
    begin.lastIndex = end.lastIndex;
  }
  return out;
}

/** `key=value` lines into a record (the first `=` splits; later duplicates win). */
export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** A script printing the name of each tool in `names` that is not on PATH, one a line. */
export function missingTools(names: string[]): Script {
  return sh`for t in ${names}; do command -v "$t" >/dev/null 2>&1 || echo "$t"; done`;
}

/** Words of a section's text (missing section: none). */
export function words(s: Section | undefined): string[] {
  return (s?.text ?? '').split(/\s+/).filter(Boolean);
}

/** The sections of an exec's stdout; convenience for parse functions. */
export function sectionsOf(out: ExecResult): Map<string, Section> {
  return parseSections(out.stdout);
}

/** Text of a secret-or-string argument (normalised args carry Secret objects for `secret: true`). */
export function plainText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'string') return (v as { value: string }).value;
  return String(v);
}

/** A word of a command line: quoted when rendered; false/undefined words vanish, arrays flatten. */
export type Word = string | number | Secret | Script | undefined | false | Word[];

/** A command from its words, each quoted on its own, single-spaced (optional flags just vanish). */
export function cmd(...parts: Word[]): Script {
  return sh`${parts}`;
}
