/** `raw`: sends the text to the host's shell as is: no guards, no quoting, no check mode (as in Ansible). */
import { Script, sh } from '../../command.js';
import type { Args, ArgSpecs, Module, ModuleResult } from '../types.js';
import type { ExecResult } from '../../transport/types.js';
import { lines } from './invoke.js';

const args: ArgSpecs = {
  _raw_params: { type: 'str' },
  executable: { type: 'path' },
};

function problem(a: Args): string | undefined {
  return typeof a._raw_params === 'string' && a._raw_params.trim() ? undefined : 'no command given';
}

/** Pure: the script `raw` sends: the text itself, or `executable -c text`. */
export function rawScript(a: Args): Script {
  const text = String(a._raw_params);
  // The user's text is the script by definition of this module: it is not ours to quote.
  if (typeof a.executable === 'string' && a.executable) return sh`${a.executable} -c ${text}`;
  return new Script(text, text);
}

/** Pure: the module result for what the host answered. */
export function rawResult(r: ExecResult): ModuleResult {
  const data = { rc: r.rc, stdout: r.stdout, stderr: r.stderr, stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr) };
  if (r.rc !== 0) return { changed: true, failed: true, msg: 'non-zero return code', data };
  return { changed: true, data };
}

/** The `raw` module. */
export const raw: Module = {
  name: 'raw',
  args,
  checkMode: false,
  freeForm: true,
  validate: problem,
  async run(a, ctx) {
    const p = problem(a);
    if (p) return { changed: false, failed: true, msg: p };
    return rawResult(await ctx.exec(rawScript(a)));
  },
};
