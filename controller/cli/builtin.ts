/**
 * The playbooks that ship with muster (`playbooks/` in the package), run by name from anywhere:
 * `muster play -i INV site`. A path to an existing file always wins over a builtin name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The package's playbooks/ directory (this file runs from dist/controller/cli/ or, under tests, controller/cli/). */
export const BUILTIN_DIR = resolve(here, here.includes(`${sep}dist${sep}`) ? '../../..' : '../..', 'playbooks');

/** One builtin playbook: its name and the first line of its opening comment. */
export interface Builtin {
  name: string;
  path: string;
  summary: string;
}

/** The path to run for what the user typed: the file itself if it exists, else a builtin of that name. */
export function resolvePlaybook(arg: string, dir = BUILTIN_DIR): string {
  // A directory of that name (`agent/` in a checkout of muster) is not a playbook: the builtin wins over it.
  if (statSync(arg, { throwIfNoEntry: false })?.isFile() || !/^[a-z0-9][a-z0-9_-]*$/i.test(arg)) return arg;
  const builtin = join(dir, `${arg}.yml`);
  return existsSync(builtin) ? builtin : arg;
}

/** The first sentence of a playbook's opening comment: what it is for. */
export function summaryOf(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#\s*\S/.test(l));
  if (start < 0) return '';
  const para: string[] = [];
  for (const l of lines.slice(start)) {
    if (!/^#\s*\S/.test(l)) break;
    para.push(l.replace(/^#\s*/, '').trim());
  }
  const joined = para.join(' ');
  return joined.match(/^(.*?\.)(\s|$)/)?.[1] ?? joined;
}

/** Every builtin playbook, by name. */
export function listBuiltins(dir = BUILTIN_DIR): Builtin[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => {
      const path = join(dir, f);
      return { name: basename(f, '.yml'), path, summary: summaryOf(readFileSync(path, 'utf8')) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The `--list-builtin` table. */
export function renderBuiltins(list: Builtin[]): string {
  const width = Math.max(0, ...list.map((b) => b.name.length));
  return `${list.map((b) => `${b.name.padEnd(width)}  ${b.summary}`).join('\n')}\n`;
}
