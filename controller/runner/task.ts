/** Runs one task on one host: loop, when, render, module (async, timeout), until, changed_when/failed_when, register. */
import { Secret } from '../command.js';
import { formatPos, MusterError } from '../../shared/errors.js';
import { evalCondition } from '../expr/index.js';
import { normalizeArgs } from '../modules/args.js';
import { selectHosts } from '../inventory/index.js';
import { getModule } from '../modules/index.js';
import { ansibleModule, notImplementedError } from '../modules/not-implemented.js';
import type { ModuleResult, Vars } from '../modules/types.js';
import type { Condition, Task } from '../playbook/types.js';
import { withLookupIO, type LookupIO } from '../expr/lookups/index.js';
import { renderDeep, renderString, type Where } from '../template/index.js';
import { moduleContext } from './context.js';
import { lookupIO } from './lookups.js';
import { loopItems } from './loop.js';
import { extendedLoopVar } from './loop-vars.js';
import type { Status } from './events.js';
import type { Scope } from './scope.js';
import { asyncMode, boundSeconds, runAsync, runForeground, withTimeout } from './async.js';
import { asyncOf, count, renderEnv, taskFlags, timeoutOf, type Flags } from './task-keywords.js';
import type { HostState, RunDeps, RunOptions, SecretStore } from './state.js';
import type { Transport } from '../transport/types.js';

/** What one task did on one host. */
export interface HostOutcome {
  status: Status;
  result: Vars;
  msg?: string;
  /** per-item outcomes of a loop, in order */
  items?: { label: string; status: Status; result: Vars; msg?: string }[];
  /** delegate_to, rendered: the host whose connection ran the task */
  delegatedTo?: string;
  /** ignore_errors, ignore_unreachable and no_log, rendered for this host */
  flags?: Flags;
}

export interface TaskRun {
  task: Task;
  scope: Scope;
  opts: RunOptions;
  deps: RunDeps;
  secrets: SecretStore;
  /** variables for this host (all layers merged, magic included) */
  vars: Vars;
  host: HostState;
  /** the transport of a delegate_to host */
  delegate: (host: string) => Transport;
  /** the host's transport opened with other connection variables (a task's remote_user, connection: local) */
  connectAs?: () => Transport;
  /** another host's state (delegate_facts) */
  stateOf?: (host: string) => HostState | undefined;
}

export type { Flags } from './task-keywords.js';

/** Runs the task on the host, never throwing for task-level problems: they become failed/unreachable outcomes. */
export async function runTask(task: TaskRun): Promise<HostOutcome> {
  const where = { host: task.host.name, task: task.task.name, pos: task.task.pos };
  // lookups in this task's expressions reach the controller through the variables
  const r = { ...task, vars: withLookupIO(task.vars, taskLookupIO(task, where)) };
  let flags: Flags;
  try {
    flags = taskFlags(r, where);
  } catch (e) {
    return failure(e);
  }
  const o = await runItems(r, where);
  return { ...o, flags };
}

async function runItems(r: TaskRun, where: Where): Promise<HostOutcome> {
  let items: unknown[] | undefined;
  try {
    items = loopItems(r.task, r.vars, where);
  } catch (e) {
    return failure(e);
  }
  if (items === undefined) return runOnce(r, r.vars);
  const outcomes: NonNullable<HostOutcome['items']> = [];
  let delegatedTo: string | undefined;
  for (const [index, item] of items.entries()) {
    if (index > 0 && r.task.loopPause) await r.deps.sleep(r.task.loopPause * 1000);
    const vars: Vars = { ...r.vars, [r.task.loopVar]: item, ansible_loop_var: r.task.loopVar };
    if (r.task.loopIndexVar) vars[r.task.loopIndexVar] = index;
    if (r.task.loopExtended) vars.ansible_loop = extendedLoopVar(items, index, r.task.loopExtended.allitems);
    const o = await runOnce(r, vars);
    delegatedTo = o.delegatedTo;
    outcomes.push({ label: itemLabel(r, vars, item), status: o.status, result: { ...o.result, item, ansible_loop_var: r.task.loopVar }, msg: o.msg });
    if (o.status === 'unreachable') break;
  }
  const results = outcomes.map((o) => o.result);
  const anyFailed = outcomes.some((o) => o.status === 'failed');
  const status: Status = outcomes.some((o) => o.status === 'unreachable')
    ? 'unreachable'
    : anyFailed
      ? 'failed'
      : outcomes.some((o) => o.status === 'changed')
        ? 'changed'
        : outcomes.every((o) => o.status === 'skipped') // an empty loop skips, as in Ansible
          ? 'skipped'
          : 'ok';
  const msg = anyFailed ? 'One or more items failed' : outcomes.length ? 'All items completed' : 'No items in the list';
  const result: Vars = {
    results,
    changed: outcomes.some((o) => o.status === 'changed'),
    failed: anyFailed,
    skipped: status === 'skipped',
    msg,
  };
  if (!outcomes.length) result.skipped_reason = msg;
  return { status, result, msg: anyFailed ? msg : undefined, items: outcomes, delegatedTo };
}

function taskLookupIO(r: TaskRun, where: Where): LookupIO {
  return lookupIO({
    searchDirs: r.task.searchDirs,
    playbookDir: typeof r.vars.playbook_dir === 'string' ? r.vars.playbook_dir : (r.task.searchDirs.at(-1) ?? process.cwd()),
    where,
    hosts: (pattern) => selectHosts(r.deps.inventory, pattern),
    secret: (s) => r.secrets.add(s),
    warn: (msg) => r.deps.emit({ type: 'warning', msg: `[${r.host.name}] ${msg}` }),
  });
}

function itemLabel(r: TaskRun, vars: Vars, item: unknown): string {
  if (r.task.loopLabel !== undefined) {
    try {
      return String(renderString(r.task.loopLabel, vars, { host: r.host.name, task: r.task.name, pos: r.task.pos }));
    } catch {
      // fall back to the item itself
    }
  }
  return typeof item === 'string' ? item : JSON.stringify(item);
}

async function runOnce(r: TaskRun, vars: Vars): Promise<HostOutcome> {
  const where = { host: r.host.name, task: r.task.name, pos: r.task.pos };
  let delegatedTo: string | undefined;
  try {
    delegatedTo = r.task.delegateTo === undefined ? undefined : String(renderString(r.task.delegateTo, vars, where)).trim();
  } catch (e) {
    return failure(e);
  }
  // Delegating to the host itself is running as usual (Ansible prints no arrow then either).
  const to = delegatedTo === r.host.name ? undefined : delegatedTo;
  const o = await runModule(r, vars, to);
  return to === undefined ? o : { ...o, delegatedTo: to };
}

async function runModule(r: TaskRun, vars: Vars, delegatedTo: string | undefined): Promise<HostOutcome> {
  const { task, scope } = r;
  const where = { host: r.host.name, task: task.name, pos: task.pos };
  try {
    const conditions = [...scope.when, ...task.when];
    for (const c of conditions) {
      if (!test(c, vars, where, 'when')) {
        return { status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: c.expr } };
      }
    }
    const module = getModule(task.module);
    if (!module && ansibleModule(task.module)) throw notImplementedError(task.module, where);
    if (!module) throw new MusterError('E_MODULE', `unknown module "${task.module}"`, where);
    const check = task.checkMode ?? scope.checkMode ?? r.opts.check;
    const background = asyncOf(task, vars, where);
    // Ansible refuses async (and async in check mode) before it would skip a module for check mode
    const refused = background && asyncMode(module, check);
    if (refused && refused.kind === 'fail') return { status: 'failed', result: { changed: false, failed: true, msg: refused.msg }, msg: refused.msg };
    if (check && !module.checkMode) {
      return { status: 'skipped', result: { changed: false, skipped: true, skip_reason: `check mode is not supported by ${task.module}` } };
    }
    const asked = timeoutOf(task, vars, where);
    // Ansible's timeout bounds starting a background task, not its polling: the async limit bounds that
    const timeout = background ? undefined : asked;
    const args = normalizeArgs(module, renderDeep(task.args, vars, where) as Record<string, unknown>, where);
    for (const v of Object.values(args)) if (v instanceof Secret) r.secrets.add(v);
    const env = renderEnv([...scope.environment, ...(task.environmentTemplate ? [task.environmentTemplate] : []), task.environment], vars, where);
    let deadlineAt: number | undefined;
    const ctx = moduleContext({
      host: r.host.name,
      transport: () => (delegatedTo === undefined ? connected(r) : delegated(r, delegatedTo)),
      become: scope.become,
      env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      check,
      diff: r.opts.diff,
      vars,
      task: task.name,
      searchDirs: task.searchDirs,
      sleep: r.deps.sleep,
      now: r.deps.now,
      deadline: () => deadlineAt,
    });
    const bound = boundSeconds(timeout, background && asyncMode(module, check).kind === 'in-process' ? background.limit : undefined);
    // each attempt (until/retries) gets the whole time again
    const work = () => {
      deadlineAt = bound === undefined ? undefined : r.deps.now() + bound * 1000;
      return background ? runAsync({ module, args, ctx, host: r.host, ...background, deps: r.deps }) : runForeground(r.host, module, args, ctx);
    };
    const { mr, result } = await withRetries(r, () => withTimeout(work, timeout, task.module), vars);
    if (Array.isArray(result.warnings)) for (const w of result.warnings) r.deps.emit({ type: 'warning', msg: `[${r.host.name}] ${String(w)}` });
    const withReg = task.register ? { ...vars, [task.register]: result } : { ...vars, result };
    if (task.changedWhen) result.changed = task.changedWhen.every((c) => test(c, withReg, where, 'changed_when'));
    if (task.failedWhen) result.failed = task.failedWhen.every((c) => test(c, withReg, where, 'failed_when'));
    // delegate_facts: what the task gathers or sets belongs to the host it was delegated to
    const owner = task.delegateFacts && delegatedTo !== undefined ? factsOwner(r, delegatedTo) : r.host;
    if (mr.setVars && !result.failed) Object.assign(owner.hostVars, mr.setVars);
    if (mr.includedVars && !result.failed) r.host.includedVars = { ...r.host.includedVars, ...mr.includedVars };
    if (mr.facts && !result.failed) Object.assign(owner.facts, mr.facts);
    const status: Status = result.failed ? 'failed' : result.changed ? 'changed' : mr.skipped || result.skipped === true ? 'skipped' : 'ok';
    return { status, result, msg: result.failed ? String(result.msg ?? 'failed') : undefined };
  } catch (e) {
    return failure(e);
  }
}

/** The host delegate_facts gives facts to: the delegated host's state (one that is in no play of the run gets a state of its own). */
function factsOwner(r: TaskRun, name: string): Pick<HostState, 'facts' | 'hostVars'> {
  const s = r.stateOf?.(name);
  if (s) return s;
  r.deps.emit({ type: 'warning', msg: `[${r.host.name}] delegate_facts: ${name} is in no play of this run; its facts are not kept` });
  return { facts: {}, hostVars: {} };
}

/** Runs the module once, or again until `until` holds (retries, delay), reporting each retry. */
async function withRetries(r: TaskRun, run: () => Promise<ModuleResult>, vars: Vars): Promise<{ mr: ModuleResult; result: Vars }> {
  const { task } = r;
  const where = { host: r.host.name, task: task.name, pos: task.pos };
  const retries = task.until ? count(task.retries, vars, where, 'retries') : 0;
  const delay = task.until ? count(task.delay, vars, where, 'delay') : 0;
  const attempts = task.until ? Math.max(1, retries + 1) : 1;
  for (let attempt = 1; ; attempt++) {
    const mr = await run();
    const result = registered(mr, attempt);
    if (!task.until) return { mr, result };
    const withReg = task.register ? { ...vars, [task.register]: result } : vars;
    if (task.until.every((c) => test(c, withReg, where, 'until'))) return { mr, result };
    if (attempt >= attempts) {
      return { mr, result: { ...result, failed: true, msg: `retries exhausted (${retries}) and the until condition is still false` } };
    }
    r.deps.emit({ type: 'result', host: r.host.name, status: 'failed', result, retry: { attempt, of: retries } });
    await r.deps.sleep(delay * 1000);
  }
}

/** Evaluates one condition; its errors name the keyword that holds it. */
function test(c: Condition, vars: Vars, where: { host: string; task: string }, keyword: string): boolean {
  try {
    return evalCondition(c.expr, vars, { ...where, pos: c.pos });
  } catch (e) {
    if (e instanceof MusterError)
      throw new MusterError(e.code, `in '${keyword}': ${e.message}`, { pos: e.pos, host: e.host, task: e.task, hint: e.hint, cause: e });
    throw e;
  }
}

/** Opens the delegate_to host's connection on first use; an unknown host or E_UNREACHABLE propagates. */
async function delegated(r: TaskRun, host: string) {
  const t = r.delegate(host);
  await t.connect();
  return t;
}

/** Opens the host's connection on first use (another one for a task's remote_user or connection); E_UNREACHABLE propagates. */
async function connected(r: TaskRun) {
  const s = r.host;
  const t = r.connectAs ? r.connectAs() : s.transport;
  if (!t) throw new MusterError('E_INTERNAL', 'no transport for host', { host: s.name });
  await t.connect();
  return t;
}

/** The registered form of a module result (what `register:` stores). */
function registered(mr: ModuleResult, attempt: number): Vars {
  const out: Vars = { ...mr.data, changed: mr.changed, failed: mr.failed ?? false };
  if (mr.msg !== undefined) out.msg = mr.msg;
  if (mr.diff) out.diff = mr.diff;
  if (typeof out.stdout === 'string' && out.stdout_lines === undefined) out.stdout_lines = linesOf(out.stdout);
  if (typeof out.stderr === 'string' && out.stderr_lines === undefined) out.stderr_lines = linesOf(out.stderr);
  if (attempt > 1) out.attempts = attempt;
  return out;
}

function linesOf(s: string): string[] {
  return s === '' ? [] : s.replace(/\n$/, '').split('\n');
}

export function failure(e: unknown): HostOutcome {
  // a refused host key is unreachable too, as in Ansible: the host never answered as itself
  if (e instanceof MusterError && (e.code === 'E_UNREACHABLE' || e.code === 'E_HOSTKEY')) {
    const msg = e.hint ? `${e.message} (${e.hint})` : e.message;
    return { status: 'unreachable', result: { unreachable: true, changed: false, msg }, msg };
  }
  const msg =
    e instanceof MusterError ? `${e.pos ? `${formatPos(e.pos)}: ` : ''}${e.message}${e.hint ? ` (${e.hint})` : ''}` : String((e as Error)?.message ?? e);
  return { status: 'failed', result: { failed: true, changed: false, msg }, msg };
}
