/**
 * Files to and from a host over plain exec (no SFTP), so that sudo applies to them like to any command.
 * Writes are atomic: a temp file beside the destination, its mode and owner set, then renamed over it.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { join, raw, Script, sh } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import type { Become, Transport } from './types.js';

/** Exit codes our own scripts use for conditions worth their own message. */
const RC_IS_DIR = 45;
const RC_MISSING = 44;

/** Options of putFile; an unset mode/owner/group keeps the existing file's (or the umask's for a new file). */
export interface PutOptions {
  mode?: string;
  owner?: string;
  group?: string;
  become?: Become;
}

/** Writes content to dest on the host atomically (see the module comment). Throws E_FILE on failure. */
export async function putFile(t: Transport, content: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
  const r = await t.exec(putScript(dest, opts, randomBytes(6).toString('hex')), { stdin: content, become: opts.become });
  if (r.rc === 0) return;
  throw fileError(t.host, 'write', dest, r.rc, r.stderr, opts.become);
}

/** The script putFile runs (content on stdin); `nonce` names the temp file. */
export function putScript(dest: string, opts: Omit<PutOptions, 'become'>, nonce: string): Script {
  const dir = posix.dirname(dest);
  const tmp = posix.join(dir, `.${posix.basename(dest).slice(0, 100)}.muster-${nonce}.tmp`);
  const owner = opts.owner && opts.group ? `${opts.owner}:${opts.group}` : opts.owner;
  const lines: unknown[] = [
    sh`dest=${dest} tmp=${tmp}`,
    line(`if [ -d "$dest" ]; then echo "is a directory" >&2; exit ${RC_IS_DIR}; fi`),
    // noclobber: the temp name is never an existing file (or a symlink planted there).
    line('set -C; : > "$tmp" || exit 1; set +C'),
    line(`trap 'rm -f "$tmp"' EXIT`),
    line('cat > "$tmp" || exit 1'),
    // Start from the existing file's mode: a symbolic mode (u+x) applies to it, as chmod would.
    line('if [ -e "$dest" ]; then chmod "$(stat -L -c %a "$dest")" "$tmp" || exit 1; fi'),
    opts.mode && sh`chmod ${opts.mode} "$tmp" || exit 1`,
    owner && sh`chown ${owner} "$tmp" || exit 1`,
    !opts.owner && opts.group && sh`chgrp ${opts.group} "$tmp" || exit 1`,
    // Keep an existing file's owner when none is asked for (possible only where we may chown).
    !opts.owner && !opts.group && line('if [ -e "$dest" ]; then chown "$(stat -L -c %u:%g "$dest")" "$tmp" 2>/dev/null || :; fi'),
    line('mv -f "$tmp" "$dest" || exit 1'),
    line('trap - EXIT'),
  ];
  return join(lines.filter((l): l is Script => l instanceof Script));
}

/** Reads a file from the host (binary safe, through base64). Throws E_FILE when missing or unreadable. */
export async function getFile(t: Transport, path: string, become?: Become): Promise<Buffer> {
  const r = await t.exec(getScript(path), { become });
  if (r.rc !== 0) throw fileError(t.host, 'read', path, r.rc, r.stderr, become);
  return Buffer.from(r.stdout, 'base64');
}

/** The script getFile runs. */
export function getScript(path: string): Script {
  return join([
    sh`p=${path}`,
    line(`if [ -d "$p" ]; then echo "is a directory" >&2; exit ${RC_IS_DIR}; fi`),
    line(`if [ ! -e "$p" ]; then echo "no such file" >&2; exit ${RC_MISSING}; fi`),
    line('base64 < "$p"'),
  ]);
}

// A line of our own constant shell text.
function line(text: string): Script {
  return sh`${raw(text)}`;
}

function fileError(host: string, verb: 'read' | 'write', path: string, rc: number, stderr: string, become?: Become): MusterError {
  const said = stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${rc}`;
  let hint: string;
  if (rc === RC_MISSING) hint = 'check the path; the file does not exist on the host';
  else if (rc === RC_IS_DIR) hint = 'give the path of a file, not a directory';
  else if (/permission denied|operation not permitted|read-only/i.test(stderr)) {
    hint = become ? 'even the become user may not do this here; check the path and its mounts' : 'add become: true, or use a path the login user may write';
  } else if (/nonexistent|no such file/i.test(stderr)) hint = `create the directory ${posix.dirname(path)} first (file: state=directory)`;
  else if (rc === 127) hint = `a command muster needs is missing on the host (${verb === 'read' ? 'base64' : 'cat, chmod, mv, stat'})`;
  else if (/invalid user|invalid group|illegal/i.test(stderr)) hint = 'check owner and group: they must exist on the host';
  else hint = 'see the message above';
  return new MusterError('E_FILE', `cannot ${verb} ${path}: ${said}`, { host, hint });
}
