/**
 * What lineinfile, blockinfile and replace share: one probe that reads the file (base64) with its
 * attributes, and one planner that turns "the new content" into a put (or only attribute fixes).
 * The editing itself is pure TypeScript in each module.
 */
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import type { ArgSpecs, Args, Diff, Plan, Step } from '../types.js';
import { describe, finalAttrs, planAttrs, wantAttrs } from './attrs.js';
import {
  contentLine,
  contextLines,
  first,
  parseContent,
  parseContext,
  parseStat,
  probeFailure,
  probeLines,
  realLine,
  statLine,
  type FileStat,
  type HostContext,
} from './probe.js';
import { backupName, putAttrs, writeSteps } from './writes.js';

/** Arguments every text-editing module takes. */
export const textFileArgs: ArgSpecs = {
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  backup: { type: 'bool', default: false },
  validate: { type: 'str' },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
};

/** A text file on the host, as probed. */
export interface TextState {
  error?: string;
  /** the path with symlinks resolved: edits go to the real file, as in Ansible */
  real: string;
  stat?: FileStat;
  content?: Buffer;
  parentExists: boolean;
  host: HostContext;
}

/** The probe: attributes, content, the parent directory, and the host context. */
export function textProbe(args: Args): Script {
  const path = String(args.path);
  return join([
    statLine('stat', path, true),
    realLine('real', path),
    contentLine('content', path),
    sh`if [ -d "$(dirname ${path})" ]; then echo 'parent 1'; fi`,
    contextLines(),
  ]);
}

/** Parses textProbe's output. */
export function parseTextState(out: ExecResult, args: Args): TextState {
  const lines = probeLines(out.stdout);
  const stat = parseStat(first(lines, 'stat'));
  const content = parseContent(first(lines, 'content'));
  const state: TextState = {
    real: first(lines, 'real') || String(args.path),
    stat,
    content: content ?? (stat?.kind === 'file' && stat.size === 0 ? Buffer.alloc(0) : undefined),
    parentExists: lines.has('parent'),
    host: parseContext(lines),
  };
  const failure = probeFailure(out);
  if (failure) state.error = failure;
  else if (stat && stat.kind === 'file' && state.content === undefined) state.error = `cannot read ${String(args.path)}`;
  return state;
}

/** The failure, if any, that stops an edit before it starts (probe error, directory, missing file). */
export function textPreconditions(args: Args, state: TextState, missingMsg: string): Plan | undefined {
  const path = String(args.path);
  if (state.error) return { kind: 'fail', msg: state.error };
  if (state.stat?.kind === 'directory') return { kind: 'fail', msg: `Path ${path} is a directory !`, data: { rc: 256 } };
  if (state.stat && state.stat.kind !== 'file') return { kind: 'fail', msg: `${path} is not a regular file`, data: { rc: 256 } };
  if (!state.stat && !args.create) return { kind: 'fail', msg: missingMsg, data: { rc: 257 } };
  return undefined;
}

/** New content for the file and what to say about it. */
export interface Edit {
  content: Buffer;
  /** Ansible's message when the content changes ('line added', 'Block inserted'...) */
  msg: string;
  /** the no-op reason when it does not */
  unchanged: string;
  /** extra result values (found, ...) */
  data?: Record<string, unknown>;
  /** result key for the backup file name (lineinfile says `backup`, the others `backup_file`) */
  backupKey?: string;
}

/** Ansible's words for an attribute change. */
const ATTRS_MSG = 'ownership, perms or SE linux context changed';

/** Turns an edit into a plan: put the new content (after a backup), or fix attributes, or nothing. */
export function planTextEdit(args: Args, state: TextState, edit: Edit): Plan {
  const path = String(args.path);
  const want = wantAttrs(args);
  const before = state.content ?? Buffer.alloc(0);
  const data: Record<string, unknown> = { path, ...edit.data };
  if (state.stat === undefined || !before.equals(edit.content)) {
    const attrs = putAttrs(want, state.stat, state.host);
    const attrsToo = state.stat && planAttrs(state.real, want, state.stat, { umask: state.host.umask }).scripts.length > 0;
    const steps: Step[] = [];
    if (!state.parentExists) steps.push({ exec: sh`mkdir -p "$(dirname ${state.real})"` });
    const backup = args.backup && state.stat ? backupName(state.real, state.host.stamp) : undefined;
    if (backup) data[edit.backupKey ?? 'backup_file'] = backup;
    steps.push(...writeSteps({ path: state.real, content: edit.content, ...attrs, backup, validate: optStr(args.validate), stamp: state.host.stamp }));
    Object.assign(data, finalAttrs(state.stat, want, attrs.mode), { size: edit.content.length });
    const diff: Diff[] = [{ path, before: before.toString('utf8'), after: edit.content.toString('utf8') }];
    return { kind: 'change', steps, diff, msg: attrsToo ? `${edit.msg} and ${ATTRS_MSG}` : edit.msg, data };
  }
  const stat = state.stat;
  const attrs = planAttrs(state.real, want, stat, { umask: state.host.umask });
  Object.assign(data, finalAttrs(stat, want, attrs.after.mode ? parseInt(attrs.after.mode, 8) : stat.mode), { size: stat.size });
  if (attrs.scripts.length === 0) return { kind: 'noop', reason: edit.unchanged, data };
  const diff: Diff[] = [{ path, before: describe(attrs.before), after: describe(attrs.after) }];
  return { kind: 'change', steps: attrs.scripts.map((exec) => ({ exec })), diff, msg: ATTRS_MSG, data };
}

function optStr(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Bytes as a string of one char per byte, so regexes see bytes as Ansible's do (no decoding errors). */
export function bytesToText(buf: Buffer): string {
  return buf.toString('latin1');
}

/** The inverse of bytesToText. */
export function textToBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A user-written string (UTF-8) in the byte-per-char form bytesToText uses. */
export function userText(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
