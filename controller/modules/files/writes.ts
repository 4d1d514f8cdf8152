/** Writing a whole file on the host: backup first, optional validation, then an atomic put. */
import { quote, raw, sh, type Script } from '../../command.js';
import type { Step } from '../types.js';
import type { WantAttrs } from './attrs.js';
import { defaultMode, resolveMode } from './mode.js';
import type { FileStat, HostContext } from './probe.js';

/** One file to write. */
export interface WriteSpec {
  /** where the bytes go (symlinks already resolved) */
  path: string;
  content: Buffer;
  mode: number;
  owner?: string;
  group?: string;
  /** copy the old file here first */
  backup?: string;
  /** a command with %s that must accept the new file before it replaces the old one */
  validate?: string;
  /** per-run unique stamp, used for the temp file of a validated write */
  stamp: string;
}

/** Ansible's backup file name: `path.PID.YYYY-MM-DD@HH:MM:SS~`. */
export function backupName(path: string, stamp: string): string {
  return `${path}.${stamp}~`;
}

/** The mode, owner and group a rewritten file is put with: as asked, else as it was, else the umask default. */
export function putAttrs(want: WantAttrs, cur: FileStat | undefined, host: HostContext): { mode: number; owner?: string; group?: string } {
  const base = cur?.mode ?? defaultMode(false, host.umask);
  const mode = want.mode === undefined ? base : resolveMode(want.mode, base, false, host.umask);
  // a put replaces the file, so root keeps the old owner explicitly (as Ansible's atomic move does)
  const keep = cur !== undefined && host.uid === 0;
  return {
    mode,
    owner: want.owner ?? (keep ? String(cur.uid) : undefined),
    group: want.group ?? (keep ? String(cur.gid) : undefined),
  };
}

/** The steps that write one file. */
export function writeSteps(w: WriteSpec): Step[] {
  const steps: Step[] = [];
  if (w.backup) steps.push({ exec: sh`cp -p ${w.path} ${w.backup}` });
  const mode = w.mode.toString(8).padStart(4, '0');
  if (!w.validate) {
    steps.push({ put: { content: w.content, dest: w.path, mode, owner: w.owner, group: w.group } });
    return steps;
  }
  const tmp = tempBeside(w.path, w.stamp);
  steps.push({ put: { content: w.content, dest: tmp, mode, owner: w.owner, group: w.group } });
  steps.push({ exec: validateScript(w.validate, tmp, w.path) });
  return steps;
}

/** A hidden temp name in the same directory (so the final mv is a rename). */
export function tempBeside(path: string, stamp: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.muster.${stamp.replace(/[^0-9A-Za-z.-]/g, '')}.${path.slice(slash + 1)}`;
}

/** Sets $t to a fresh temp file beside path (mktemp: never a name someone could have planted). */
export function mktempBeside(path: string): Script {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '.' : slash === 0 ? '' : path.slice(0, slash);
  return sh`t=$(mktemp ${`${dir}/.muster.XXXXXX`}) || exit 1`;
}

/** Runs the user's validate command on the temp file; moves it in place only if it passes. */
export function validateScript(validate: string, tmp: string, dest: string): Script {
  // validate is a command the user wrote (like the shell module's), so it goes in as shell text;
  // only the file name we substitute is quoted
  const cmd = raw(validate.split('%s').join(quote(tmp)));
  return sh`if ${cmd}; then mv -f ${tmp} ${dest}; else rc=$?; rm -f ${tmp}; echo "failed to validate (rc $rc)" >&2; exit 1; fi`;
}

/** The load-time check of a validate argument. */
export function checkValidate(validate: unknown): string | undefined {
  if (typeof validate === 'string' && validate !== '' && !validate.includes('%s') && !validate.includes('{{'))
    return `validate must contain %s (the file to check): ${validate}`;
  return undefined;
}
