/** lineinfile: make sure one line is in a file (or not), replacing the last line a regexp matches. */
import { planned } from '../planned.js';
import type { ArgSpecs, Args, Plan } from '../types.js';
import { argOf, exclusive, known, templated, truthy } from './checks.js';
import { expandTemplate, groupsOf, pyRegex, type MatchGroups } from './pyregex.js';
import { bytesToText, parseTextState, planTextEdit, textFileArgs, textPreconditions, textProbe, textToBytes, userText, type TextState } from './textfile.js';

const args: ArgSpecs = {
  ...textFileArgs,
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  regexp: { type: 'str', aliases: ['regex'] },
  search_string: { type: 'str' },
  line: { type: 'str', aliases: ['value'] },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
  backrefs: { type: 'bool', default: false },
  create: { type: 'bool', default: false },
  firstmatch: { type: 'bool', default: false },
};

/** What to do to the lines (all strings are one char per byte, see textfile.ts). */
export interface LineEdit {
  state: 'present' | 'absent';
  line?: string;
  regexp?: RegExp;
  searchString?: string;
  insertafter?: string;
  insertbefore?: string;
  /** the insertafter/insertbefore regex, compiled (undefined for BOF/EOF) */
  insertRe?: RegExp;
  backrefs: boolean;
  firstmatch: boolean;
}

/** The outcome of an edit. */
export interface LineResult {
  text: string;
  changed: boolean;
  msg: string;
  found?: number;
}

/** Splits like Python's readlines(): every line keeps its "\n", the last one may lack it. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

function bare(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}

function search(re: RegExp, line: string): RegExpExecArray | null {
  // Python's $ matches before a final newline; JS's does not, so the newline is left out
  return re.exec(line.endsWith('\n') ? line.slice(0, -1) : line);
}

/** Ansible's state=present, step for step: find the line to replace, or where to insert it. */
export function presentLine(text: string, e: LineEdit): LineResult {
  const lines = splitLines(text);
  const line = e.line ?? '';
  let found = -1;
  let insertAt = -1;
  let match: MatchGroups | undefined;
  for (let i = 0; i < lines.length && (e.regexp || e.searchString !== undefined); i++) {
    let m: MatchGroups | undefined;
    if (e.regexp) {
      const r = search(e.regexp, lines[i]);
      if (r) m = groupsOf(r);
    } else if (lines[i].includes(e.searchString as string)) m = { numbered: [], named: {} };
    if (!m) continue;
    found = i;
    match = m;
    if (e.firstmatch) break;
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (bare(lines[i]) === line) {
        found = i;
      } else if (e.insertRe && search(e.insertRe, lines[i])) {
        insertAt = e.insertafter ? i + 1 : i;
        if (e.firstmatch) break;
      }
    }
  }
  const add = (at: number): LineResult => {
    lines.splice(at, 0, line + '\n');
    return { text: lines.join(''), changed: true, msg: 'line added' };
  };
  const same = (): LineResult => ({ text, changed: false, msg: '' });
  const endNewline = (): void => {
    if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1])) lines[lines.length - 1] += '\n';
  };
  if (found !== -1) {
    let next = e.backrefs && match && e.regexp ? expandTemplate(line, match) : line;
    if (!next.endsWith('\n')) next += '\n';
    if (lines[found] === next) return same();
    lines[found] = next;
    return { text: lines.join(''), changed: true, msg: 'line replaced' };
  }
  if (e.backrefs) return same();
  if (e.insertbefore === 'BOF' || e.insertafter === 'BOF') return add(0);
  if (e.insertafter === 'EOF' || insertAt === -1) {
    endNewline();
    return add(lines.length);
  }
  if (e.insertafter) {
    // when the anchor is an unterminated last line Ansible glues the new line onto it; we end it first
    if (insertAt === lines.length) return bare(lines[insertAt - 1]) === line ? same() : (endNewline(), add(insertAt));
    return bare(lines[insertAt]) === line ? same() : add(insertAt);
  }
  return add(insertAt);
}

/** Ansible's state=absent: drop every line the regexp, search string or exact line matches. */
export function absentLine(text: string, e: LineEdit): LineResult {
  const kept: string[] = [];
  let found = 0;
  for (const l of splitLines(text)) {
    const hit = e.regexp ? search(e.regexp, l) !== null : e.searchString !== undefined ? l.includes(e.searchString) : bare(l) === e.line;
    if (hit) found++;
    else kept.push(l);
  }
  return found ? { text: kept.join(''), changed: true, msg: `${found} line(s) removed`, found } : { text, changed: false, msg: '', found };
}

/** Argument rules Ansible enforces before touching the file. */
export function checkLineArgs(a: Args): string | undefined {
  const ex = exclusive(a, args, [
    ['insertbefore', 'insertafter'],
    ['regexp', 'search_string'],
    ['backrefs', 'search_string'],
  ]);
  if (ex) return ex;
  if (templated(argOf(a, args, 'state'))) return undefined;
  const state = known(a, args, 'state') ?? 'present';
  const has = (n: string): boolean => argOf(a, args, n) !== undefined;
  if (state === 'present') {
    if (truthy(a, args, 'backrefs') && !has('regexp')) return 'regexp is required with backrefs=true';
    if (!has('line')) return 'line is required with state=present';
  } else if (state === 'absent' && !has('line') && !has('regexp') && !has('search_string')) {
    return 'one of line, search_string, or regexp is required with state=absent';
  }
  return undefined;
}

/** Compiles the arguments into a LineEdit (insertafter defaults to EOF, as in Ansible). */
export function lineEdit(a: Args): LineEdit {
  const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  let insertafter = str(a.insertafter);
  const insertbefore = str(a.insertbefore);
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF';
  const insertPattern =
    insertafter !== undefined && !['BOF', 'EOF'].includes(insertafter)
      ? insertafter
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? insertbefore
        : undefined;
  return {
    state: a.state === 'absent' ? 'absent' : 'present',
    line: a.line === undefined ? undefined : userText(String(a.line)),
    regexp: a.regexp === undefined ? undefined : pyRegex(userText(String(a.regexp))),
    searchString: a.search_string === undefined ? undefined : userText(String(a.search_string)),
    insertafter,
    insertbefore,
    insertRe: insertPattern === undefined ? undefined : pyRegex(userText(insertPattern)),
    backrefs: a.backrefs === true,
    firstmatch: a.firstmatch === true,
  };
}

/** Pure: (args, probed file) -> plan. */
export function planLineinfile(a: Args, state: TextState): Plan {
  const bad = checkLineArgs(a);
  if (bad) return { kind: 'fail', msg: bad };
  const path = String(a.path);
  if (a.state === 'absent' && !state.error && !state.stat) return { kind: 'noop', reason: 'file not present', data: { path, found: 0 } };
  const pre = textPreconditions(a, state, `Destination ${path} does not exist !`);
  if (pre) return pre;
  const e = lineEdit(a);
  const text = bytesToText(state.content ?? Buffer.alloc(0));
  const r = e.state === 'absent' ? absentLine(text, e) : presentLine(text, e);
  if (!state.stat && !r.changed) return { kind: 'noop', reason: 'regexp did not match: nothing to create', data: { path } };
  const unchanged =
    e.state === 'absent'
      ? 'no matching line'
      : e.backrefs && r.text === text
        ? 'line already as wanted (or regexp did not match with backrefs)'
        : 'line already present';
  return planTextEdit(a, state, {
    content: textToBytes(r.text),
    msg: r.msg,
    unchanged,
    backupKey: 'backup',
    data: r.found === undefined ? undefined : { found: r.found },
  });
}

/** The lineinfile module. */
export const lineinfile = planned<TextState>({
  name: 'lineinfile',
  args,
  checkMode: true,
  validate: checkLineArgs,
  probe: textProbe,
  parse: parseTextState,
  plan: planLineinfile,
});
