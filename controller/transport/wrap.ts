/**
 * Turns a script and its exec options (become, env, cwd) into the one command line a transport runs,
 * and reads sudo's refusals back out of stderr. Pure: same input, same output (the prompt marker aside,
 * which callers may pass in).
 */
import { randomBytes } from 'node:crypto';
import { quote, raw, Script, sh, join } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import type { Become, ExecOptions } from './types.js';

/** A command line ready for `sh -c` (local) or an SSH exec request, with the bytes to feed its stdin. */
export interface Wrapped {
  script: Script;
  stdin?: Buffer;
  /** sudo's password prompt, to strip from stderr; set only when a password is sent. */
  marker?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Wraps a script with env exports, a cd, and sudo when becoming another user (see the module comment). */
export function wrapCommand(script: Script, opts: ExecOptions = {}, marker: string = newPromptMarker()): Wrapped {
  const inner = innerScript(script, opts);
  const stdin = opts.stdin === undefined ? undefined : Buffer.from(opts.stdin);
  if (!opts.become) return { script: sh`sh -c ${quoted(inner)}`, stdin };
  const user = opts.become.user || 'root';
  const password = opts.become.password;
  if (password === undefined) {
    return { script: sh`sudo -H -n -u ${user} -- sh -c ${quoted(inner)}`, stdin };
  }
  // The password goes first on stdin for `sudo -S`. Where sudo would not ask for it (NOPASSWD, or a
  // timestamp), it would reach the command instead (and end up, say, in a copied file): so ask `sudo -n`
  // first, and in that case swallow the password line (read(1) takes exactly one line from a pipe).
  const chooser =
    'if sudo -n -u "$1" -- true 2>/dev/null; then IFS= read -r _ || :; exec sudo -H -n -u "$1" -- sh -c "$0"; fi\n' +
    'exec sudo -H -k -S -p "$2" -u "$1" -- sh -c "$0"';
  return {
    script: sh`sh -c ${chooser} ${quoted(inner)} ${user} ${marker}`,
    stdin: Buffer.concat([Buffer.from(`${password.value}\n`), stdin ?? Buffer.alloc(0)]),
    marker,
  };
}

/** The script preceded by its env exports and cd: what the shell behind sudo (or a long-lived shell) runs. */
export function innerScript(script: Script, opts: Pick<ExecOptions, 'env' | 'cwd'> = {}): Script {
  return join([...exportLines(opts.env), ...cdLine(opts.cwd), script]);
}

/** A prompt no command prints by chance, so it can be told apart from the command's own stderr. */
export function newPromptMarker(): string {
  return `[muster-sudo-${randomBytes(8).toString('hex')}] `;
}

/** An id for tagScript/reapScript. */
export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

function exportLines(env: Record<string, string> = {}): Script[] {
  return Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) {
      throw new MusterError('E_SCHEMA', `invalid environment variable name ${JSON.stringify(name)}`, {
        hint: 'names are letters, digits and _, not starting with a digit',
      });
    }
    return sh`export ${raw(name)}=${value}`;
  });
}

function cdLine(cwd: string | undefined): Script[] {
  if (cwd === undefined || cwd === '') return [];
  // `|| exit` on its own line (rather than `cd DIR && script`) keeps the whole multi-line script guarded.
  const dir = cwd.startsWith('-') ? `./${cwd}` : cwd;
  return [sh`cd ${dir} || exit 1`];
}

// The whole script becomes one quoted word; its masked twin is quoted the same way.
function quoted(s: Script): Script {
  return new Script(quote(s.text), quote(s.shown));
}

/**
 * The script with a unique tag in its text, so that reapScript can find what it started. A command run
 * through sudo belongs to root: the login user's signal (a killed channel, a killed child) cannot stop it.
 */
export function tagScript(script: Script, runId: string): Script {
  return join([sh`# muster-run-${raw(runId.replace(/[^A-Za-z0-9]/g, ''))}`, script]);
}

/** Kills the process groups of every process whose command line carries the tag (run it with the same become). */
export function reapScript(runId: string): Script {
  const id = runId.replace(/[^A-Za-z0-9]/g, '');
  // `ru[n]`: the pattern must not match this script's own command line, which spells it with brackets.
  // Field 5 of /proc/PID/stat is the process group; kill the group, so the command's children go too.
  const text = [
    'for d in /proc/[0-9]*; do',
    `  case "$(tr '\\0' ' ' < "$d/cmdline" 2>/dev/null)" in *muster-ru[n]-${id}*)`,
    `    pg=$(sed 's/.*) [A-Za-z] [0-9]* \\([0-9]*\\).*/\\1/' "$d/stat" 2>/dev/null)`,
    // dash wants `kill -KILL -PGID` (it rejects `--` there); others take `-s KILL -- -PGID`.
    '    [ -n "$pg" ] && { kill -KILL "-$pg" || kill -s KILL -- "-$pg"; } 2>/dev/null',
    '    kill -KILL "${d#/proc/}" 2>/dev/null ;;',
    '  esac',
    'done',
    ':',
  ].join('\n');
  return sh`${raw(text)}`;
}

/** Removes sudo's password prompt (the marker) wherever it landed in stderr. */
export function stripPrompt(stderr: string, marker: string | undefined): string {
  return marker ? stderr.split(marker).join('') : stderr;
}

/** sudo's own refusal in a failed command's stderr as an E_BECOME error, or undefined if sudo let it run. */
export function becomeFailure(rc: number, stderr: string, become: Become | undefined, host?: string): MusterError | undefined {
  if (!become || rc === 0) return undefined;
  const user = become.user || 'root';
  const fail = (message: string, hint: string) => new MusterError('E_BECOME', message, { host, hint });
  if (/^sudo: a password is required/m.test(stderr)) {
    return fail(`sudo needs a password to become ${user}`, 'use -K/--ask-become-pass or set ansible_become_password');
  }
  if (/^sudo: \d+ incorrect password attempts?|^Sorry, try again\.?$|^sudo: no password was provided/m.test(stderr)) {
    return fail(`wrong sudo password (becoming ${user})`, 'check the password given with -K or ansible_become_password');
  }
  const refused = stderr.match(/^(?:sudo: )?(.*(?:is not in the sudoers file|is not allowed to execute|may not run sudo).*)$/m);
  if (refused) {
    return fail(
      `sudo refused: ${refused[1].replace(/\s+This incident.*$/, '').trim()}`,
      `allow the login user to run commands as ${user} in /etc/sudoers, or set become_user to a user it may become`,
    );
  }
  const unknown = stderr.match(/^sudo: unknown user:? (.*)$/m);
  if (unknown) return fail(`sudo: unknown user ${unknown[1].trim()}`, 'check become_user: the user does not exist on this host');
  if (rc === 127 && /sudo: (?:command )?not found/.test(stderr)) {
    return fail('sudo is not installed on this host', 'install sudo (as root), or connect as the user you need');
  }
  return undefined;
}
