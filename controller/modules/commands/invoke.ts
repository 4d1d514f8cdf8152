/**
 * The run shared by `command` and `shell`: one round trip that checks chdir/creates/removes on the host and,
 * unless a guard says otherwise, execs the command. The guard reports through a marker line that precedes
 * the command's own output, so the check and the run never need two connections' worth of latency.
 */
import { sh, join, type Script } from '../../command.js';
import type { ModuleContext, ModuleResult, Vars } from '../types.js';
import type { ExecResult } from '../../transport/types.js';
import { formatDelta, formatStamp } from './clock.js';

/** A command ready to run, with its guards. */
export interface Invocation {
  /** what runs (exec'd after the guards) */
  body: Script;
  /** reported back as `cmd`: the argv list (command) or the string (shell) */
  cmd: string | string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  strip: boolean;
}

const MARK = '@@muster:';

/** A test that succeeds when the glob `pattern` matches anything (a leading ~/ means the remote $HOME). */
export function anyMatch(pattern: string): Script {
  const home = pattern === '~' || pattern.startsWith('~/');
  const assign = home ? sh`p="$HOME"${pattern.slice(1)}` : sh`p=${pattern}`;
  // IFS= keeps a pattern with spaces one word while the unquoted $p still globs.
  return sh`( IFS=; ${assign}; for f in $p; do if [ -e "$f" ] || [ -L "$f" ]; then exit 0; fi; done; exit 1 )`;
}

/** The script that checks the guards, prints one marker line, then execs the command (or stops, in check mode). */
export function guardedScript(inv: Invocation, check: boolean): Script {
  const lines: Script[] = [];
  if (inv.chdir) lines.push(sh`cd ${inv.chdir} || { echo ${MARK}nochdir; exit 1; }`);
  if (inv.creates) lines.push(sh`if ${anyMatch(inv.creates)}; then echo ${MARK}creates; exit 0; fi`);
  if (inv.removes) lines.push(sh`if ${anyMatch(inv.removes)}; then :; else echo ${MARK}removes; exit 0; fi`);
  lines.push(check ? sh`echo ${MARK}check` : sh`echo ${MARK}run\nexec ${inv.body}`);
  return join(lines);
}

/** Splits the marker the guard printed off the command's own output. */
export function readMarker(stdout: string): { marker?: string; stdout: string } {
  const m = /^@@muster:(\w+)\n/m.exec(stdout);
  if (!m) return { stdout };
  return { marker: m[1], stdout: stdout.slice(m.index + m[0].length) };
}

/** Time the command took, taken around the exec. */
export interface Timing {
  start: number;
  end: number;
}

/** Pure: the module result for what the guarded script printed. */
export function interpret(inv: Invocation, r: ExecResult, check: boolean, time: Timing): ModuleResult {
  const { marker, stdout } = readMarker(r.stdout);
  const base: Vars = { cmd: inv.cmd, stdout: '', stderr: '', rc: null, start: null, end: null, delta: null, msg: '' };
  const would = check ? 'Would' : 'Did';
  if (marker === 'nochdir') {
    const msg = `Unable to change directory before execution: ${inv.chdir}`;
    return { changed: false, failed: true, msg, data: { ...base, rc: r.rc, stderr: r.stderr.trim(), msg } };
  }
  if (marker === 'creates' || marker === 'removes') {
    const what = marker === 'creates' ? `'${inv.creates}' exists` : `'${inv.removes}' does not exist`;
    const msg = `${would} not run command since ${what}`;
    return { changed: false, msg, data: { ...base, rc: 0, msg } };
  }
  if (marker === 'check' && r.rc === 0) {
    const msg = 'Command would have run if not in check mode';
    const guarded = inv.creates !== undefined || inv.removes !== undefined;
    // Ansible: without a guard nothing can be predicted, so the task counts as skipped, not changed.
    return { changed: guarded, msg, data: { ...base, rc: 0, msg, ...(guarded ? {} : { skipped: true }) } };
  }
  return ran(inv, { ...r, stdout }, time, base);
}

function ran(inv: Invocation, r: ExecResult, time: Timing, base: Vars): ModuleResult {
  const trim = (s: string) => (inv.strip ? s.replace(/[\r\n]+$/, '') : s);
  const stdout = trim(r.stdout);
  const stderr = trim(r.stderr);
  const data: Vars = {
    ...base,
    stdout,
    stderr,
    rc: r.rc,
    start: formatStamp(time.start),
    end: formatStamp(time.end),
    delta: formatDelta(time.end - time.start),
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
  };
  if (r.rc !== 0) return { changed: true, failed: true, msg: 'non-zero return code', data: { ...data, msg: 'non-zero return code' } };
  return { changed: true, data };
}

/** Lines of an output, as Python's splitlines gives them. */
export function lines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

/** Runs an invocation on the host: one exec, timed with the context's clock. */
export async function runInvocation(inv: Invocation, ctx: ModuleContext): Promise<ModuleResult> {
  const script = guardedScript(inv, ctx.check);
  const start = ctx.now();
  const r = await ctx.exec(script, inv.stdin === undefined ? undefined : { stdin: inv.stdin });
  const end = ctx.now();
  return interpret(inv, r, ctx.check, { start, end });
}
