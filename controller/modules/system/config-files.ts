/**
 * Small pieces the config-file modules share (pam_limits, cron, mount, modprobe, locale_gen): reading one
 * file or a directory's `*.conf` files in a probe, and the backup copy Ansible makes before an edit.
 */
import { sh, type Script } from '../../command.js';
import type { Step } from '../types.js';
import { section, type Section } from './probe.js';

/** Exit code of a file section whose file does not exist (any other non-zero code: it could not be read). */
const MISSING = 3;

/** A probe section holding a file's text; its rc says whether the file was read (0), is missing (3) or unreadable. */
export function fileSection(name: string, path: string): Script {
  return section(name, sh`if [ -f ${path} ]; then cat ${path} 2>&1; else (exit ${MISSING}); fi`);
}

/**
 * A file's text from its section, or undefined when the file does not exist (or the section is missing).
 * Throws when the file exists but could not be read: editing it as if it were empty would lose its content.
 */
export function fileText(s: Section | undefined, path = 'the file'): string | undefined {
  if (s === undefined || s.rc === MISSING) return undefined;
  if (s.rc === 0) return s.text;
  throw new Error(`cannot read ${path}: ${s.text.trim() || `cat failed with exit code ${s.rc}`} (does the task need become: true?)`);
}

/** A probe section listing every line of `dir/*.conf` as `path:line` (no files: empty). */
export function confDirSection(name: string, dir: string): Script {
  return section(name, sh`for f in ${dir}/*.conf; do [ -f "$f" ] && grep -H '' "$f"; done; :`);
}

/** Pure: the `path:line` listing back into each file's text, in the order found. */
export function confDirFiles(s: Section | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (s?.text ?? '').split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const path = line.slice(0, i);
    out.set(path, `${out.get(path) ?? ''}${line.slice(i + 1)}\n`);
  }
  return out;
}

/** A probe section printing a per-run stamp (`PID.YYYY-MM-DD@HH:MM:SS`) for backup names, as Ansible names them. */
export function stampSection(): Script {
  return section('stamp', sh`printf '%s.%s' "$$" "$(date +%Y-%m-%d@%H:%M:%S)"`);
}

/** Ansible's backup file name for `path`: `path.PID.YYYY-MM-DD@HH:MM:SS~`. */
export function backupPath(path: string, stamp: string): string {
  return `${path}.${stamp}~`;
}

/** The step copying `path` to its backup name (mode and owner kept). */
export function backupStep(path: string, backup: string): Step {
  return { exec: sh`cp -p ${path} ${backup}` };
}

/** Splits text into lines, without the empty string a final newline leaves. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lines back into text, newline-terminated (no lines: ''). */
export function textOf(lines: string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}
