/** blockinfile: a block of lines between two marker lines, inserted, updated or removed. */
import { planned } from '../planned.js';
import type { ArgSpecs, Args, Plan } from '../types.js';
import { exclusive } from './checks.js';
import { pyRegex } from './pyregex.js';
import { bytesToText, parseTextState, planTextEdit, textFileArgs, textPreconditions, textProbe, textToBytes, userText, type TextState } from './textfile.js';

const args: ArgSpecs = {
  ...textFileArgs,
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  marker: { type: 'str', default: '# {mark} ANSIBLE MANAGED BLOCK' },
  block: { type: 'str', default: '', aliases: ['content'] },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
  create: { type: 'bool', default: false },
  marker_begin: { type: 'str', default: 'BEGIN' },
  marker_end: { type: 'str', default: 'END' },
  append_newline: { type: 'bool', default: false },
  prepend_newline: { type: 'bool', default: false },
};

/** The block edit, in one-char-per-byte strings. */
export interface BlockEdit {
  present: boolean;
  block: string;
  begin: string;
  end: string;
  insertafter?: string;
  insertbefore?: string;
  insertRe?: RegExp;
  appendNewline: boolean;
  prependNewline: boolean;
}

/** Splits like Python's bytes.splitlines(True): on \n, \r\n and \r, keeping the ends. */
export function splitKeepEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

/** The block's marker line for BEGIN or END. */
export function markerLine(marker: string, mark: string): string {
  return marker.split('{mark}').join(mark) + '\n';
}

/** Ansible's blockinfile on the text (undefined = the file does not exist): the new text. */
export function editBlock(original: string | undefined, e: BlockEdit): string {
  const lines = splitKeepEnds(original ?? '');
  const marker0 = e.begin;
  const marker1 = e.end;
  let block = e.block;
  const blocklines: string[] = [];
  if (e.present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blocklines.push(marker0, ...splitKeepEnds(block), marker1);
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i;
    if (l === marker1) n1 = i;
  });
  let at: number;
  if (n0 === undefined || n1 === undefined) at = insertionPoint(original ?? '', lines, e);
  else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  if (at > 0 && !lines[at - 1].endsWith('\n')) lines[at - 1] += '\n';
  if (e.prependNewline && e.present && at !== 0 && lines[at - 1] !== '\n') lines.splice(at++, 0, '\n');
  lines.splice(at, 0, ...blocklines);
  const after = at + blocklines.length;
  if (e.appendNewline && e.present && after < lines.length && lines[after] !== '\n') lines.splice(after, 0, '\n');
  return lines.join('');
}

function insertionPoint(original: string, lines: string[], e: BlockEdit): number {
  if (!e.insertRe) return e.insertbefore !== undefined ? 0 : lines.length;
  let n0: number | undefined;
  if (e.insertRe.multiline) {
    // a (?m) pattern is searched in the whole file, as Ansible does
    const m = e.insertRe.exec(original);
    if (m) n0 = countNewlines(original.slice(0, e.insertafter !== undefined ? m.index + m[0].length : m.index));
  } else {
    lines.forEach((l, i) => {
      if (e.insertRe?.exec(l.replace(/\n$/, ''))) n0 = i;
    });
  }
  if (n0 === undefined) return lines.length;
  return e.insertafter !== undefined ? n0 + 1 : n0;
}

function countNewlines(s: string): number {
  return s.split('\n').length - 1;
}

/** Compiles the arguments (insertafter defaults to EOF). */
export function blockEdit(a: Args): BlockEdit {
  const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  let insertafter = str(a.insertafter);
  const insertbefore = str(a.insertbefore);
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF';
  const pattern =
    insertafter !== undefined && insertafter !== 'EOF' ? insertafter : insertbefore !== undefined && insertbefore !== 'BOF' ? insertbefore : undefined;
  const marker = userText(str(a.marker) ?? '# {mark} ANSIBLE MANAGED BLOCK');
  return {
    present: a.state !== 'absent',
    block: userText(str(a.block) ?? ''),
    begin: markerLine(marker, userText(str(a.marker_begin) ?? 'BEGIN')),
    end: markerLine(marker, userText(str(a.marker_end) ?? 'END')),
    insertafter,
    insertbefore,
    insertRe: pattern === undefined ? undefined : pyRegex(userText(pattern)),
    appendNewline: a.append_newline === true,
    prependNewline: a.prepend_newline === true,
  };
}

/** Pure: (args, probed file) -> plan. */
export function planBlockinfile(a: Args, state: TextState): Plan {
  const bad = exclusive(a, args, [['insertbefore', 'insertafter']]);
  if (bad) return { kind: 'fail', msg: bad };
  const path = String(a.path);
  if (a.state === 'absent' && !state.error && !state.stat) return { kind: 'noop', reason: `File ${path} not present`, data: { path } };
  const pre = textPreconditions(a, state, `Path ${path} does not exist !`);
  if (pre) return pre;
  const e = blockEdit(a);
  const original = state.stat ? bytesToText(state.content ?? Buffer.alloc(0)) : undefined;
  const result = editBlock(original, e);
  const msg = original === undefined ? 'File created' : e.present && e.block ? 'Block inserted' : 'Block removed';
  return planTextEdit(a, state, { content: textToBytes(result), msg, unchanged: e.present && e.block ? 'block already present' : 'no block to remove' });
}

/** The blockinfile module. */
export const blockinfile = planned<TextState>({
  name: 'blockinfile',
  args,
  checkMode: true,
  validate: (a) => exclusive(a, args, [['insertbefore', 'insertafter']]),
  probe: textProbe,
  parse: parseTextState,
  plan: planBlockinfile,
});
