/**
 * Background jobs on the host (`async:`), as pure scripts and readers. A job lives under
 * `$HOME/.ansible_async/<jid>`, Ansible's place: the results file `<jid>` (JSON, replaced atomically: first
 * "started", then "finished" with rc and times), `<jid>.job` (what ran, written by muster to read the result
 * back), `<jid>.in`, `<jid>.out`, `<jid>.err`. The job runs in its own session (setsid), so it outlives the
 * SSH connection and muster; a watchdog kills its process group after the async limit.
 */
import { join, raw, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import type { Args, ModuleResult, Vars } from '../types.js';
import { commandInvocation } from './command.js';
import { guardedScript, interpret, type Invocation } from './invoke.js';
import { shellInvocation } from './shell.js';

/** The modules whose whole work is one shell command, so that it can run detached on the host. */
export const DETACHABLE = ['command', 'shell'] as const;

/** What muster records beside a job to rebuild the module's result from its output (the Invocation minus its body). */
export type JobMeta = Omit<Invocation, 'body' | 'stdin'> & { module: string };

/** The invocation a detachable module's arguments give, or why there is none; undefined for other modules. */
export function jobInvocation(module: string, args: Args): { ok: true; inv: Invocation } | { ok: false; msg: string } | undefined {
  if (module === 'command') return commandInvocation(args);
  if (module === 'shell') return shellInvocation(args);
  return undefined;
}

/** A job id as Ansible writes them: `j` + 12 random digits + `.` + a process id (only digits, a dot and a j: safe in paths). */
export function jobId(random: number, pid: number): string {
  return `j${String(Math.floor(random * 1e12)).padStart(12, '0')}.${pid}`;
}

/** Whether a job id is safe to put in a path (a user's async_status may pass anything). */
export function validJid(jid: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(jid) && !jid.startsWith('.');
}

const dir = raw('"$HOME/.ansible_async"');

/** `~/.ansible_async/<jid>` as the host prints it (`results_file`), the $HOME part left to the shell. */
function jobPath(jid: string): Script {
  return sh`${dir}/${jid}`;
}

// The job itself: $1 the results file, $2 the limit in seconds, $3 the guarded script. The command runs in a
// session of its own (setsid: its pid is its process group), the watchdog in another, so each can be killed whole.
// The watchdog marks the job before it kills it (the runner, woken by the kill, may stop the watchdog at
// once); the job counts as killed when that mark is there and it died of SIGKILL (rc 137).
const RUNNER = `j=$1
s=$(date +%s.%N)
setsid sh -c "$3" <"$j.in" >"$j.out" 2>"$j.err" &
p=$!
setsid sh -c 'sleep "$1"; : >"$3.killed"; kill -s KILL -- "-$2" 2>/dev/null' sh "$2" "$p" "$j" </dev/null >/dev/null 2>&1 &
w=$!
wait "$p"; rc=$?
kill -s TERM -- "-$w" 2>/dev/null
e=$(date +%s.%N)
k=false; [ -e "$j.killed" ] && [ "$rc" -eq 137 ] && k=true
printf '{"started": 1, "finished": 1, "ansible_job_id": "%s", "rc": %d, "start": %s, "end": %s, "killed": %s}\\n' "\${j##*/}" "$rc" "$s" "$e" "$k" >"$j.tmp" && mv -f "$j.tmp" "$j"`;

/**
 * The script that starts a job and returns at once: writes the job's files, the "started" results file, then
 * the detached runner. Its stdin becomes the job's stdin. Prints `@@muster:started <results file>`.
 */
export function launchScript(jid: string, limitSeconds: number, inv: Invocation, module: string): Script {
  const j = jobPath(jid);
  const meta: JobMeta = { module, cmd: inv.cmd, chdir: inv.chdir, creates: inv.creates, removes: inv.removes, strip: inv.strip };
  const started = `{"started": 1, "finished": 0, "ansible_job_id": "${jid}"}`;
  return join([
    sh`umask 077; mkdir -p ${dir} || exit 1`,
    sh`printf '%s\\n' ${JSON.stringify(meta)} >${j}.job && cat >${j}.in || exit 1`,
    sh`printf '%s\\n' ${started} >${j}.tmp && mv -f ${j}.tmp ${j} || exit 1`,
    sh`setsid sh -c ${RUNNER} sh ${j} ${String(Math.max(1, Math.ceil(limitSeconds)))} ${guardedScript(inv, false).text} </dev/null >/dev/null 2>&1 &`,
    sh`echo @@muster:started ${j}`,
  ]);
}

/** One round trip that prints a job's results file, its record and its output (base64, one line each). */
export function statusScript(jid: string): Script {
  const j = jobPath(jid);
  const b64 = (f: Script) => sh`if [ -f ${f} ]; then base64 <${f} | tr -d '\\n'; fi; echo`;
  return join([
    sh`echo @@muster:file ${j}`,
    sh`if [ ! -f ${j} ]; then echo @@muster:nojob; exit 0; fi`,
    sh`echo @@muster:status; tr -d '\\n' <${j}; echo`,
    sh`echo @@muster:job; tr -d '\\n' <${j}.job 2>/dev/null; echo`,
    sh`echo @@muster:out`,
    b64(sh`${j}.out`),
    sh`echo @@muster:err`,
    b64(sh`${j}.err`),
  ]);
}

/** Removes a job's files (async_status mode=cleanup, and after a polled job finished). */
export function cleanupScript(jid: string): Script {
  const j = jobPath(jid);
  return sh`echo @@muster:file ${j}; rm -f ${j} ${j}.job ${j}.in ${j}.out ${j}.err ${j}.tmp ${j}.killed`;
}

/** What the status script found. */
export type JobState =
  | { kind: 'missing'; file: string }
  | { kind: 'running'; file: string }
  | { kind: 'finished'; file: string; rc: number; start: number; end: number; killed: boolean; meta?: JobMeta; stdout: string; stderr: string }
  | { kind: 'unreadable'; file: string; text: string };

/** Pure: the status script's output -> the job's state. */
export function parseStatus(out: string): JobState {
  const lines = out.split('\n');
  const after = (marker: string) => {
    const i = lines.indexOf(marker);
    return i < 0 ? undefined : (lines[i + 1] ?? '');
  };
  const file = /^@@muster:file (.*)$/m.exec(out)?.[1] ?? '';
  if (lines.includes('@@muster:nojob')) return { kind: 'missing', file };
  const text = after('@@muster:status') ?? '';
  let status: Vars;
  try {
    status = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', file, text };
  }
  if (status.finished !== 1) return { kind: 'running', file };
  let meta: JobMeta | undefined;
  try {
    meta = JSON.parse(after('@@muster:job') ?? '');
  } catch {
    meta = undefined;
  }
  const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  return {
    kind: 'finished',
    file,
    rc: Number(status.rc),
    start: Number(status.start) * 1000,
    end: Number(status.end) * 1000,
    killed: status.killed === true,
    meta,
    stdout: unb64(after('@@muster:out')),
    stderr: unb64(after('@@muster:err')),
  };
}

/** Pure: the result async_status gives for a job's state (Ansible's keys: ansible_job_id, started, finished, results_file...). */
export function statusResult(jid: string, s: JobState): ModuleResult {
  const base: Vars = { ansible_job_id: jid, started: 1, results_file: s.file, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };
  if (s.kind === 'missing') return { changed: false, failed: true, msg: 'could not find job', data: { ...base, finished: 1 } };
  if (s.kind === 'running') return { changed: false, data: { ...base, finished: 0 } };
  if (s.kind === 'unreadable') return { changed: false, failed: true, msg: `Could not parse job output: ${s.text}`, data: { ...base, finished: 1 } };
  if (s.killed) return { changed: false, failed: true, msg: 'Timeout exceeded', data: { ...base, finished: 1 } };
  const meta = s.meta ?? { module: 'command', cmd: '', strip: true };
  const inv: Invocation = { ...meta, body: sh`:` };
  const r = interpret(inv, execResult(s), false, { start: s.start, end: s.end });
  return { ...r, data: { ...base, ...r.data, finished: 1 } };
}

function execResult(s: Extract<JobState, { kind: 'finished' }>): ExecResult {
  // the guarded script's marker line leads the output, as in a synchronous run
  return { rc: s.rc, stdout: s.stdout, stderr: s.stderr };
}

/** Pure: the result of starting a job with poll: 0 (Ansible's shape). */
export function startedResult(jid: string, file: string): ModuleResult {
  return { changed: true, data: { ansible_job_id: jid, started: 1, finished: 0, results_file: file } };
}

/** The message of a polled job that outlived its async limit (Ansible's words). */
export function notInTime(limitSeconds: number): string {
  return `async task did not complete within the requested time - ${limitSeconds}s`;
}

/**
 * Pure: when a polled job is checked, as offsets in seconds from its start: every `poll` seconds while
 * the time left (`limit`, less `poll` per check) is above zero, as Ansible's loop does.
 */
export function pollSchedule(limit: number, poll: number): number[] {
  const out: number[] = [];
  if (poll <= 0) return out;
  for (let left = limit, t = poll; left > 0; left -= poll, t += poll) out.push(t);
  return out;
}
