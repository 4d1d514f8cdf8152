/** replace: every match of a regexp in a file (or in the part between `after` and `before`) replaced. */
import { planned } from '../planned.js';
import type { ArgSpecs, Args, Plan } from '../types.js';
import { pyRegex, substitute } from './pyregex.js';
import { parseTextState, planTextEdit, textFileArgs, textPreconditions, textProbe, type TextState } from './textfile.js';

const args: ArgSpecs = {
  ...textFileArgs,
  regexp: { type: 'str', required: true },
  replace: { type: 'str', default: '' },
  after: { type: 'str' },
  before: { type: 'str' },
  encoding: { type: 'str', default: 'utf-8' },
};

const ENCODINGS: Record<string, BufferEncoding> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'latin-1': 'latin1',
  latin1: 'latin1',
  'iso-8859-1': 'latin1',
  ascii: 'latin1',
};

/** The outcome of replacing in a text. */
export interface ReplaceResult {
  text: string;
  count: number;
  /** set when after/before did not match: Ansible then changes nothing and says so */
  sectionMissing?: string;
}

/** Ansible's replace on a decoded text. */
export function replaceText(contents: string, regexp: string, replacement: string, after?: string, before?: string): ReplaceResult {
  let pattern = '';
  if (after && before) pattern = `${after}(?P<subsection>.*?)${before}`;
  else if (after) pattern = `${after}(?P<subsection>.*)`;
  else if (before) pattern = `(?P<subsection>.*)${before}`;
  let start = 0;
  let end = contents.length;
  if (pattern) {
    const m = pyRegex(pattern, 'sd').exec(contents);
    const span = m?.indices?.groups?.subsection;
    if (!span) return { text: contents, count: 0, sectionMissing: pattern };
    [start, end] = span;
  }
  const section = contents.slice(start, end);
  const r = substitute(pyRegex(regexp, 'm'), replacement, section);
  if (r.count === 0 || r.text === section) return { text: contents, count: 0 };
  return { text: contents.slice(0, start) + r.text + contents.slice(end), count: r.count };
}

/** Pure: (args, probed file) -> plan. */
export function planReplace(a: Args, state: TextState): Plan {
  const path = String(a.path);
  const pre = textPreconditions({ ...a, create: false }, state, `Path ${path} does not exist !`);
  if (pre) return pre;
  const encoding = ENCODINGS[String(a.encoding ?? 'utf-8').toLowerCase()];
  if (!encoding) return { kind: 'fail', msg: `unsupported encoding ${String(a.encoding)} (use utf-8 or latin-1)` };
  const bytes = state.content ?? Buffer.alloc(0);
  let contents: string;
  try {
    contents = encoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) : bytes.toString(encoding);
  } catch {
    return { kind: 'fail', msg: `Unable to decode ${path} as ${String(a.encoding)}; set encoding: latin-1 for such files` };
  }
  const opt = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
  const r = replaceText(contents, String(a.regexp), String(a.replace ?? ''), opt(a.after), opt(a.before));
  const unchanged = r.sectionMissing ? `Pattern for before/after params did not match the given file: ${r.sectionMissing}` : 'no replacements made';
  return planTextEdit(a, state, {
    content: Buffer.from(r.text, encoding),
    msg: `${r.count} replacements made`,
    unchanged,
    data: { rc: 0 },
  });
}

/** The replace module. */
export const replace = planned<TextState>({
  name: 'replace',
  args,
  checkMode: true,
  probe: textProbe,
  parse: parseTextState,
  plan: planReplace,
});
