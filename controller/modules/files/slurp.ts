/** slurp: a remote file's content, base64 encoded, in the result (for b64decode). */
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { planned } from '../planned.js';
import type { ArgSpecs, Args, Plan } from '../types.js';
import { contentLine, first, probeFailure, probeLines } from './probe.js';

const args: ArgSpecs = {
  src: { type: 'path', required: true, aliases: ['path'] },
};

/** What the slurp probe found. */
export interface SlurpState {
  error?: string;
  what: 'file' | 'directory' | 'missing' | 'unreadable';
  content?: string;
}

/** The probe: the kind of path, and the content as one base64 line. */
export function slurpProbe(a: Args): Script {
  const src = String(a.src);
  return join([
    sh`if [ -d ${src} ]; then echo 'what directory'; elif [ ! -e ${src} ]; then echo 'what missing'; elif [ ! -r ${src} ]; then echo 'what unreadable'; else echo 'what file'; fi`,
    contentLine('content', src),
  ]);
}

/** Parses slurpProbe's output. */
export function parseSlurp(out: ExecResult): SlurpState {
  const lines = probeLines(out.stdout);
  const what = first(lines, 'what');
  return {
    error: probeFailure(out),
    what: what === 'directory' || what === 'missing' || what === 'unreadable' ? what : 'file',
    content: first(lines, 'content'),
  };
}

/** Pure: the content as a result, or Ansible's failure messages. */
export function planSlurp(a: Args, s: SlurpState): Plan {
  const src = String(a.src);
  if (s.error) return { kind: 'fail', msg: s.error };
  if (s.what === 'missing') return { kind: 'fail', msg: `file not found: ${src}` };
  if (s.what === 'directory') return { kind: 'fail', msg: `source is a directory and must be a file: ${src}` };
  if (s.what === 'unreadable' || s.content === undefined) return { kind: 'fail', msg: `file is not readable: ${src}` };
  return { kind: 'noop', reason: `read ${src}`, data: { content: s.content, encoding: 'base64', source: src } };
}

/** The slurp module. */
export const slurp = planned<SlurpState>({
  name: 'slurp',
  args,
  checkMode: true,
  probe: slurpProbe,
  parse: parseSlurp,
  plan: planSlurp,
});
