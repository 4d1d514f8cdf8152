/** `command`: runs a program with its arguments, no shell in between (each word is quoted on its own). */
import { sh } from '../../command.js';
import type { Args, ArgSpecs, Module } from '../types.js';
import { runInvocation, type Invocation } from './invoke.js';
import { splitWords } from './words.js';

const args: ArgSpecs = {
  _raw_params: { type: 'str', aliases: ['cmd'] },
  argv: { type: 'list', elements: 'str' },
  chdir: { type: 'path' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
};

/** Why these arguments give no command to run (Ansible's wording), or undefined when they do. */
export function commandProblem(a: Args): string | undefined {
  const text = typeof a._raw_params === 'string' ? a._raw_params.trim() : '';
  const argv = Array.isArray(a.argv) ? a.argv : [];
  if (text && argv.length) return 'only command or argv can be given, not both';
  if (!text && !argv.length) return 'no command given';
  return undefined;
}

/** Pure: the invocation for `command` arguments, or the reason there is none. */
export function commandInvocation(a: Args): { ok: true; inv: Invocation } | { ok: false; msg: string } {
  const problem = commandProblem(a);
  if (problem) return { ok: false, msg: problem };
  let argv: string[];
  if (Array.isArray(a.argv) && a.argv.length) argv = a.argv.map(String);
  else {
    const split = splitWords(String(a._raw_params));
    if (!split.ok) return { ok: false, msg: `cannot split the command into words: ${split.error}` };
    argv = split.words;
  }
  return { ok: true, inv: { body: sh`${argv}`, cmd: argv, ...guards(a) } };
}

/** The guard and stdin arguments shared by command and shell. */
export function guards(a: Args): Omit<Invocation, 'body' | 'cmd'> {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const stdin = typeof a.stdin === 'string' ? a.stdin + (a.stdin_add_newline === false ? '' : '\n') : undefined;
  return { chdir: str(a.chdir), creates: str(a.creates), removes: str(a.removes), stdin, strip: a.strip_empty_ends !== false };
}

/** The `command` module. */
export const command: Module = {
  name: 'command',
  args,
  checkMode: true,
  freeForm: true,
  validate: commandProblem,
  async run(a, ctx) {
    const r = commandInvocation(a);
    if (!r.ok) return { changed: false, failed: true, msg: r.msg, data: { rc: 256, cmd: null } };
    return runInvocation(r.inv, ctx);
  },
};
