/**
 * copy: a file onto the host from inline content, a controller-side file, or (remote_src) another file
 * on the host; a controller-side directory is copied file by file (copy-tree.ts), a remote one is refused.
 * Content is compared by sha256, so an identical file is never rewritten; attributes alone are fixed in place.
 */
import { createHash } from 'node:crypto';
import { join, raw, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { apply } from '../planned.js';
import type { ArgSpecs, Args, Diff, Module, ModuleContext, ModuleResult, Plan, Step } from '../types.js';
import { describe, finalAttrs, planAttrs, wantAttrs } from './attrs.js';
import { argOf, exclusive, truthy } from './checks.js';
import { formatMode } from './mode.js';
import {
  contentLine,
  contextLines,
  digestLine,
  first,
  parseContent,
  parseContext,
  parseStat,
  pathVar,
  probeFailure,
  probeLines,
  statLine,
  type FileStat,
  type HostContext,
} from './probe.js';
import { copyTree } from './copy-tree.js';
import { backupName, checkValidate, mktempBeside, putAttrs, writeSteps } from './writes.js';

/** Files up to this size are read back for --diff. */
export const DIFF_MAX_BYTES = 65536;

const args: ArgSpecs = {
  src: { type: 'path' },
  content: { type: 'raw' },
  dest: { type: 'path', required: true },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
  backup: { type: 'bool', default: false },
  force: { type: 'bool', default: true, aliases: ['thirsty'] },
  remote_src: { type: 'bool', default: false },
  validate: { type: 'str' },
  directory_mode: { type: 'mode', ignored: 'directories copy creates get the default mode' },
  local_follow: { type: 'bool', ignored: 'a local source is read through its links' },
  unsafe_writes: { type: 'bool', ignored: 'files are always replaced atomically' },
  checksum: { type: 'str', ignored: 'the written file is compared by its SHA-256' },
};

/** Where the new file's bytes come from. */
export type Source = { kind: 'content'; content: Buffer; name?: string; origin?: string } | { kind: 'remote'; path: string; name: string };

/** What the copy probe found at the destination (and at a remote source). */
export interface CopyState {
  error?: string;
  /** the file that is written: dest, or dest/NAME when dest is a directory */
  path: string;
  destIsDir: boolean;
  stat?: FileStat;
  sha256?: string;
  content?: Buffer;
  parentExists: boolean;
  src?: FileStat;
  srcSha256?: string;
  srcSha1?: string;
  host: HostContext;
}

/** The last path component (a trailing slash ignored). */
export function baseName(path: string): string {
  const p = path.replace(/\/+$/, '');
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

/** The probe: which file dest means, its checksum, small content for --diff, and a remote source. */
export function copyProbe(a: Args, name: string | undefined, remoteSrc?: string): Script {
  const dest = String(a.dest);
  const p = pathVar('p');
  const choose =
    dest.endsWith('/') && name
      ? sh`p=${dest + name}`
      : name
        ? sh`if [ -d ${dest} ]; then echo 'destdir 1'; p=${dest.replace(/\/+$/, '') + '/' + name}; else p=${dest}; fi`
        : sh`p=${dest}; if [ -d "$p" ]; then echo 'destdir 1'; fi`;
  const parts = [
    choose,
    sh`printf 'path %s\\n' "$p"`,
    statLine('stat', p, true),
    digestLine('sha256', p, 'sha256'),
    contentLine('content', p, DIFF_MAX_BYTES),
    sh`if [ -d "$(dirname "$p")" ]; then echo 'parent 1'; fi`,
    contextLines(),
  ];
  if (remoteSrc !== undefined)
    parts.push(statLine('srcstat', remoteSrc, true), digestLine('srcsha256', remoteSrc, 'sha256'), digestLine('srcsha1', remoteSrc, 'sha1'));
  return join(parts);
}

/** Parses copyProbe's output. */
export function parseCopy(out: ExecResult, a: Args): CopyState {
  const lines = probeLines(out.stdout);
  return {
    error: probeFailure(out),
    path: first(lines, 'path') ?? String(a.dest),
    destIsDir: lines.has('destdir'),
    stat: parseStat(first(lines, 'stat')),
    // an empty digest (the tool failed) is unknown, not a value two unreadable files could share
    sha256: first(lines, 'sha256') || undefined,
    content: parseContent(first(lines, 'content')),
    parentExists: lines.has('parent'),
    src: parseStat(first(lines, 'srcstat')),
    srcSha256: first(lines, 'srcsha256') || undefined,
    srcSha1: first(lines, 'srcsha1') || undefined,
    host: parseContext(lines),
  };
}

/** Argument rules Ansible enforces up front. */
export function checkCopyArgs(a: Args): string | undefined {
  const ex = exclusive(a, args, [['src', 'content']]);
  if (ex) return ex;
  if (argOf(a, args, 'src') === undefined && argOf(a, args, 'content') === undefined) return 'src (or content) is required';
  if (truthy(a, args, 'remote_src') && argOf(a, args, 'src') === undefined) return 'remote_src needs src (a path on the host)';
  return checkValidate(argOf(a, args, 'validate'));
}

/** Text for --diff, or undefined for binary or unknown content. */
function diffText(buf: Buffer | undefined): string | undefined {
  return buf && buf.length <= DIFF_MAX_BYTES && !buf.includes(0) ? buf.toString('utf8') : undefined;
}

/** sha1 and sha256 of bytes (sha1 is what Ansible reports as `checksum`). */
export function digests(buf: Buffer): { sha1: string; sha256: string } {
  return { sha1: createHash('sha1').update(buf).digest('hex'), sha256: createHash('sha256').update(buf).digest('hex') };
}

/** Pure: (args, destination state, source) -> plan. */
export function planCopy(a: Args, s: CopyState, source: Source): Plan {
  if (s.error) return { kind: 'fail', msg: s.error };
  const dest = String(a.dest);
  if (source.kind === 'content' && !source.name && (s.destIsDir || dest.endsWith('/'))) return { kind: 'fail', msg: 'can not use content with a dir as dest' };
  if (source.kind === 'remote' && !s.src) return { kind: 'fail', msg: `Source ${source.path} not found` };
  if (source.kind === 'remote' && s.src?.kind === 'directory')
    return { kind: 'fail', msg: `Source ${source.path} is a directory: copying directories is not supported`, data: { src: source.path } };
  if (s.stat?.kind === 'directory') return { kind: 'fail', msg: `Destination ${s.path} is a directory` };
  // as Ansible's "Source not readable": without the source's checksum, unchanged cannot be told from changed
  if (source.kind === 'remote' && !s.srcSha256) return { kind: 'fail', msg: `Source ${source.path} not readable: its checksum could not be read` };
  const path = s.path;
  const want = wantAttrs(a);
  const sums = source.kind === 'content' ? digests(source.content) : { sha1: s.srcSha1, sha256: s.srcSha256 };
  const data: Record<string, unknown> = { dest: path, checksum: sums.sha1, state: 'file' };
  if (source.kind === 'remote') data.src = source.path;
  else if (source.origin) data.src = source.origin;
  if (s.stat && a.force === false)
    return { kind: 'noop', reason: `${path} exists and force is false`, data: { ...data, ...finalAttrs(s.stat, want, s.stat.mode) } };
  if (s.stat && s.sha256 && s.sha256 === sums.sha256) {
    const attrs = planAttrs(path, want, s.stat, { umask: s.host.umask });
    const mode = attrs.after.mode ? parseInt(attrs.after.mode, 8) : s.stat.mode;
    Object.assign(data, finalAttrs(s.stat, want, mode), { size: s.stat.size });
    if (attrs.scripts.length === 0) return { kind: 'noop', reason: 'content unchanged', data };
    const diff: Diff[] = [{ path, before: describe(attrs.before), after: describe(attrs.after) }];
    return { kind: 'change', steps: attrs.scripts.map((exec) => ({ exec })), diff, data };
  }
  const steps: Step[] = [];
  if (!s.parentExists) {
    if (!dest.endsWith('/')) return { kind: 'fail', msg: `Destination directory ${dirName(path)} does not exist` };
    steps.push({ exec: sh`mkdir -p ${dest}` });
  }
  const attrs = putAttrs(want, s.stat, s.host);
  const backup = a.backup && s.stat ? backupName(path, s.host.stamp) : undefined;
  if (backup) data.backup_file = backup;
  const validate = typeof a.validate === 'string' && a.validate ? a.validate : undefined;
  if (source.kind === 'content') {
    steps.push(...writeSteps({ path, content: source.content, ...attrs, backup, validate, stamp: s.host.stamp }));
  } else {
    if (backup) steps.push({ exec: sh`cp -p ${path} ${backup}` });
    steps.push({ exec: remoteCopyScript(source.path, path, attrs, validate) });
  }
  Object.assign(data, finalAttrs(s.stat, want, attrs.mode), { size: source.kind === 'content' ? source.content.length : s.src?.size });
  const after = source.kind === 'content' ? diffText(source.content) : undefined;
  const before = s.stat ? diffText(s.content) : '';
  const diff: Diff[] | undefined = after !== undefined && before !== undefined ? [{ path, before, after }] : undefined;
  return { kind: 'change', steps, diff, data, msg: s.stat ? undefined : 'file created' };
}

/** Copies a file on the host through a temp file beside dest, so dest changes in one rename. */
export function remoteCopyScript(src: string, dest: string, attrs: { mode: number; owner?: string; group?: string }, validate: string | undefined): Script {
  const owner = attrs.owner && attrs.group ? `${attrs.owner}:${attrs.group}` : attrs.owner;
  // validate is the user's own command text (like the shell module's); %s becomes the temp file
  const check = validate ? sh` && ${raw(validate.split('%s').join('"$t"'))}` : undefined;
  const chown = owner ? sh` && chown ${owner} "$t"` : !attrs.owner && attrs.group ? sh` && chgrp ${attrs.group} "$t"` : undefined;
  return join([
    mktempBeside(dest),
    sh`trap 'rm -f "$t"' EXIT`,
    sh`cp ${src} "$t" && chmod ${formatMode(attrs.mode)} "$t"${chown}${check} && mv -f "$t" ${dest}`,
  ]);
}

/** Probes dest for `source`, plans and applies: the shared flow of copy and template. */
export async function copyFrom(a: Args, ctx: ModuleContext, source: Source): Promise<ModuleResult> {
  const out = await ctx.exec(copyProbe(a, source.name, source.kind === 'remote' ? source.path : undefined));
  return apply(planCopy(a, parseCopy(out, a), source), ctx);
}

/** The copy module. */
export const copy: Module = {
  name: 'copy',
  args,
  checkMode: true,
  validate: checkCopyArgs,
  async run(a, ctx) {
    const bad = checkCopyArgs(a);
    if (bad) return { changed: false, failed: true, msg: bad };
    if (a.content !== undefined && a.content !== null) {
      const text = typeof a.content === 'string' ? a.content : JSON.stringify(a.content);
      return copyFrom(a, ctx, { kind: 'content', content: Buffer.from(text, 'utf8') });
    }
    const src = String(a.src);
    if (a.remote_src) return copyFrom(a, ctx, { kind: 'remote', path: src, name: baseName(src) });
    const found = ctx.files.locate?.(src, 'files');
    if (found?.dir) return copyTree(a, ctx, found.path);
    if (src.endsWith('/')) return { changed: false, failed: true, msg: `Source ${src} is not a directory, or was not found` };
    const local = await ctx.files.read(src, 'files');
    return copyFrom(a, ctx, { kind: 'content', content: local.content, name: baseName(src), origin: local.path });
  },
};
