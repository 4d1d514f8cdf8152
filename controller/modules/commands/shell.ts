/** `shell`: runs a command line through a shell (default /bin/sh), so pipes, redirects and variables work. */
import { sh } from '../../command.js';
import type { Args, ArgSpecs, Module } from '../types.js';
import { guards } from './command.js';
import { runInvocation, type Invocation } from './invoke.js';

const args: ArgSpecs = {
  _raw_params: { type: 'str', aliases: ['cmd'] },
  chdir: { type: 'path' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  executable: { type: 'path', default: '/bin/sh' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
};

function problem(a: Args): string | undefined {
  return typeof a._raw_params === 'string' && a._raw_params.trim() ? undefined : 'no command given';
}

/** Pure: the invocation for `shell` arguments, or the reason there is none. */
export function shellInvocation(a: Args): { ok: true; inv: Invocation } | { ok: false; msg: string } {
  const p = problem(a);
  if (p) return { ok: false, msg: p };
  const text = String(a._raw_params);
  const exe = typeof a.executable === 'string' && a.executable ? a.executable : '/bin/sh';
  return { ok: true, inv: { body: sh`${exe} -c ${text}`, cmd: text, ...guards(a) } };
}

/** The `shell` module. */
export const shell: Module = {
  name: 'shell',
  args,
  checkMode: true,
  freeForm: true,
  validate: problem,
  async run(a, ctx) {
    const r = shellInvocation(a);
    if (!r.ok) return { changed: false, failed: true, msg: r.msg, data: { rc: 256, cmd: null } };
    return runInvocation(r.inv, ctx);
  },
};
