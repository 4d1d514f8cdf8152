/**
 * `async:` / `poll:` and `timeout:` for one task on one host. command and shell run detached on the host
 * (modules/commands/job.ts) and are polled there, so a `poll: 0` job outlives muster as Ansible's does. Other
 * modules that Ansible can run in the background run inside muster instead, bounded by the async limit (their
 * host commands are killed then); a `poll: 0` one says so in a warning, since it ends with muster's run.
 * Modules that Ansible's action plugins run on the controller refuse async, with Ansible's message.
 */
import type { Args, Module, ModuleContext, ModuleResult, Vars } from '../modules/types.js';
import {
  cleanupScript,
  DETACHABLE,
  jobId,
  jobInvocation,
  launchScript,
  notInTime,
  parseStatus,
  pollSchedule,
  startedResult,
  statusResult,
  statusScript,
} from '../modules/commands/job.js';
import type { ExecResult } from '../transport/types.js';
import type { HostState, InProcessJob, RunDeps } from './state.js';

/** Modules whose Ansible action plugin refuses async ("async is not supported for this task."). */
export const ASYNC_REFUSED = [
  'add_host',
  'assemble',
  'assert',
  'async_status',
  'copy',
  'debug',
  'fail',
  'fetch',
  'gather_facts',
  'group_by',
  'include_vars',
  'pause',
  'raw',
  'script',
  'set_fact',
  'set_stats',
  'template',
  'unarchive',
  'validate_argument_spec',
  'wait_for_connection',
] as const;

/** How a task with async runs: refused, on the host in the background, or inside muster. */
export type AsyncMode = { kind: 'fail'; msg: string } | { kind: 'detached' } | { kind: 'in-process' };

/** Pure: how async runs for this module, in Ansible's order of checks (not supported, then check mode). */
export function asyncMode(module: Pick<Module, 'name' | 'local'>, check: boolean): AsyncMode {
  if (module.local || (ASYNC_REFUSED as readonly string[]).includes(module.name)) return { kind: 'fail', msg: 'async is not supported for this task.' };
  if (check) return { kind: 'fail', msg: 'check mode and async cannot be used on same task.' };
  return (DETACHABLE as readonly string[]).includes(module.name) ? { kind: 'detached' } : { kind: 'in-process' };
}

/** What one async run needs. */
export interface AsyncRun {
  module: Module;
  args: Args;
  ctx: ModuleContext;
  host: HostState;
  limit: number;
  poll: number;
  deps: Pick<RunDeps, 'emit' | 'sleep'>;
}

/** Runs the module in the background and, unless poll is 0, polls it to its end (or its limit). */
export async function runAsync(a: AsyncRun): Promise<ModuleResult> {
  const mode = asyncMode(a.module, a.ctx.check);
  if (mode.kind === 'fail') return { changed: false, failed: true, msg: mode.msg };
  const jid = jobId(Math.random(), process.pid);
  return mode.kind === 'detached' ? detached(a, jid) : inProcess(a, jid);
}

async function detached(a: AsyncRun, jid: string): Promise<ModuleResult> {
  const made = jobInvocation(a.module.name, a.args);
  if (!made) return { changed: false, failed: true, msg: `${a.module.name} cannot run detached` };
  if (!made.ok) return { changed: false, failed: true, msg: made.msg, data: { rc: 256, cmd: null } };
  const launched = await a.ctx.exec(launchScript(jid, a.limit, made.inv, a.module.name), { stdin: made.inv.stdin ?? '' });
  const file = /^@@muster:started (.*)$/m.exec(launched.stdout)?.[1];
  if (launched.rc !== 0 || file === undefined) {
    const why = launched.stderr.trim() || `rc ${launched.rc}`;
    return { changed: false, failed: true, msg: `could not start the job on the host: ${why}`, data: { ansible_job_id: jid } };
  }
  if (a.poll === 0) return startedResult(jid, file);
  let last: ModuleResult = startedResult(jid, file);
  const checks = pollSchedule(a.limit, a.poll);
  for (const [i] of checks.entries()) {
    await a.deps.sleep(a.poll * 1000);
    let out: ExecResult;
    try {
      out = await a.ctx.exec(statusScript(jid));
    } catch (e) {
      // as Ansible: a poll that cannot reach the host (a network bounce, a reboot) is retried until the limit
      if (i === checks.length - 1) throw e;
      await a.ctx.reconnect(a.poll * 1000).catch(() => undefined);
      continue;
    }
    const state = parseStatus(out.stdout);
    last = statusResult(jid, state);
    if (state.kind === 'finished' && !state.killed) {
      await a.ctx.exec(cleanupScript(jid));
      return last;
    }
    if (state.kind === 'missing' || state.kind === 'unreadable') return last;
    // killed by its watchdog: the limit passed, said as Ansible says it below
    if (state.kind === 'finished') break;
  }
  return { changed: false, failed: true, msg: notInTime(a.limit), data: { async_result: { ...last.data, finished: 0 } } };
}

async function inProcess(a: AsyncRun, jid: string): Promise<ModuleResult> {
  const timer = limitTimer(a.limit);
  const run = Promise.race([a.module.run(a.args, a.ctx), timer.expired.then((): ModuleResult => ({ changed: false, failed: true, msg: notInTime(a.limit) }))])
    .catch((e: unknown): ModuleResult => ({ changed: false, failed: true, msg: String((e as Error)?.message ?? e) }))
    .finally(timer.cancel);
  if (a.poll > 0) {
    const r = await run;
    return r.failed || r.skipped ? r : { ...r, data: { ...r.data, ansible_job_id: jid, started: 1, finished: 1 } };
  }
  const job: InProcessJob = { module: a.module.name };
  a.host.jobs ??= new Map();
  a.host.jobs.set(jid, job);
  void run.then((r) => {
    job.result = r;
  });
  a.deps.emit({
    type: 'warning',
    msg: `[${a.host.name}] async with poll: 0: muster cannot leave ${a.module.name} running on the host, so it runs inside muster and ends with this run (only command and shell run detached on the host)`,
  });
  return startedResult(jid, `(inside muster: ${a.module.name})`);
}

/** async_status for a job running inside muster; undefined when the job id is not one of those (it is on the host). */
export function inProcessStatus(host: HostState, args: Args): ModuleResult | undefined {
  const jid = String(args.jid);
  const job = host.jobs?.get(jid);
  if (!job) return undefined;
  const base: Vars = { ansible_job_id: jid, started: 1 };
  if (args.mode === 'cleanup') {
    host.jobs?.delete(jid);
    return { changed: false, data: { ...base, started: 0, finished: 0, erased: `(inside muster: ${job.module})` } };
  }
  if (!job.result) return { changed: false, data: { ...base, finished: 0 } };
  return { ...job.result, data: { ...job.result.data, ...base, finished: 1 } };
}

/** The module's own run, in the foreground; async_status first looks among the jobs running inside muster. */
export function runForeground(host: HostState, module: Module, args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const inside = module.name === 'async_status' ? inProcessStatus(host, args) : undefined;
  return inside ? Promise.resolve(inside) : module.run(args, ctx);
}

/** How long the module's host commands may take in one attempt (timeout, or the async limit of a job run inside muster). */
export function boundSeconds(timeout: number | undefined, limit: number | undefined): number | undefined {
  const seconds = [timeout, limit].filter((n): n is number => n !== undefined);
  return seconds.length ? Math.min(...seconds) : undefined;
}

/** A timer for `seconds` that never keeps muster alive and can be cancelled. */
export function limitTimer(seconds: number): { expired: Promise<void>; cancel: () => void } {
  let handle: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, seconds * 1000);
    handle.unref();
  });
  return { expired, cancel: () => clearTimeout(handle) };
}

/** The message of a task that outlived its `timeout:` (Ansible's words). */
export function timeoutMessage(module: string, seconds: number): string {
  return `The ${module} action failed to execute in the expected time frame (${seconds}) and was terminated`;
}

/** Runs `work` but gives up after `seconds` (its host commands are killed by then through the context's deadline). */
export async function withTimeout(work: () => Promise<ModuleResult>, seconds: number | undefined, module: string): Promise<ModuleResult> {
  if (seconds === undefined) return work();
  const timer = limitTimer(seconds);
  try {
    return await Promise.race([work(), timer.expired.then((): ModuleResult => ({ changed: false, failed: true, msg: timeoutMessage(module, seconds) }))]);
  } finally {
    timer.cancel();
  }
}
