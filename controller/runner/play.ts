/** The linear strategy: each task on every active host (in parallel up to --forks), blocks, handlers, serial. */
import type { Block, Play, Task, TaskNode } from '../playbook/types.js';
import { renderString } from '../template/index.js';
import type { Status } from './events.js';
import { mapLimit } from './limit.js';
import { becomeFor, hostVars } from './host-vars.js';
import { enter, playScope, type Scope } from './scope.js';
import { selectedByTags } from './tags.js';
import { runTask, type HostOutcome } from './task.js';
import { runDynamicInclude, runLoopBlock } from './includes.js';
import { metaApplies, runMeta } from './meta.js';
import { connectionOverride, type Flags } from './task-keywords.js';
import type { Vars } from '../modules/types.js';
import type { Transport } from '../transport/types.js';
import type { HostState, PlayHost, RunDeps, RunOptions, SecretStore } from './state.js';

/** Shared by everything in one play run. */
export interface PlayRun {
  play: Play;
  opts: RunOptions;
  deps: RunDeps;
  secrets: SecretStore;
  hosts: Map<string, HostState>;
  /** every host of the play (all batches), for ansible_play_hosts */
  playHosts: string[];
  /** start-at-task: name still to find (shared across plays) */
  startAt: { name?: string };
  /** set by meta: end_play or any_errors_fatal */
  ended: boolean;
  /** the transport of a delegate_to host, opened on first use and shared across plays */
  delegate: (host: string) => Transport;
  /** a host's transport opened with other connection variables (remote_user, connection: local on a task), shared across plays */
  connectAs?: (host: string, over: Vars) => Transport;
}

/** Runs the play on one serial batch of hosts. */
export async function runBatch(pr: PlayRun, batch: string[]): Promise<void> {
  const hosts: PlayHost[] = batch.map((h) => ({ state: pr.hosts.get(h)!, notified: new Set(), ended: false }));
  const scope = playScope(pr.play);
  if (pr.play.gatherFacts && !pr.startAt.name) await gather(pr, hosts);
  for (const section of [pr.play.preTasks, pr.play.tasks, pr.play.postTasks]) {
    if (pr.ended) break;
    await runNodes(pr, section, active(hosts), scope);
    await flushHandlers(pr, hosts);
  }
}

/** Hosts still in the play. */
function active(hosts: PlayHost[]): PlayHost[] {
  return hosts.filter((h) => !h.ended && !h.state.failed && !h.state.unreachable);
}

async function gather(pr: PlayRun, hosts: PlayHost[]): Promise<void> {
  // gathering = smart: hosts an earlier play gathered keep their facts
  const targets = active(hosts).filter((h) => !pr.play.gatherOnce || Object.keys(h.state.facts).length === 0);
  if (!targets.length) return;
  pr.deps.emit({ type: 'task', name: 'Gathering Facts', kind: 'facts' });
  const facts: Task = {
    kind: 'task',
    name: 'Gathering Facts',
    module: 'setup',
    args: {},
    pos: pr.play.pos,
    loopVar: 'item',
    notify: [],
    retries: 0,
    delay: 0,
    runOnce: false,
    listen: [],
    searchDirs: [pr.play.dir],
    when: [],
    tags: ['always'],
    vars: {},
    environment: {},
    checkMode: false,
  };
  await runTaskOnHosts(pr, facts, targets, playScope(pr.play));
}

/** Runs task nodes on hosts; returns the hosts that failed (they have left the nodes' remaining tasks). */
async function runNodes(pr: PlayRun, nodes: TaskNode[], hosts: PlayHost[], scope: Scope): Promise<Set<PlayHost>> {
  const failed = new Set<PlayHost>();
  for (const node of nodes) {
    if (pr.ended) break;
    const live = hosts.filter((h) => !failed.has(h) && !h.ended && !h.state.unreachable);
    if (!live.length) break;
    const f = node.kind === 'block' ? await runBlock(pr, node, live, scope) : await runOneTask(pr, node, live, scope);
    for (const h of f) failed.add(h);
  }
  return failed;
}

async function runBlock(pr: PlayRun, block: Block, hosts: PlayHost[], parent: Scope): Promise<Set<PlayHost>> {
  if (block.loop) return runLoopBlock(pr, block, hosts, parent, runBlock);
  if (block.include) return runDynamicInclude(pr, block, hosts, parent, runBlock);
  const scope = enter(parent, block, true);
  const failedInBlock = await runNodes(pr, block.block, hosts, scope);
  let stillFailed = new Set(failedInBlock);
  if (failedInBlock.size && block.rescue.length) {
    const rescuing = [...failedInBlock].filter((h) => !h.state.unreachable);
    for (const h of rescuing) h.state.failed = false;
    const failedInRescue = await runNodes(pr, block.rescue, rescuing, scope);
    for (const h of rescuing) {
      if (failedInRescue.has(h)) continue;
      h.state.stats.rescued++;
      h.state.stats.failed = Math.max(0, h.state.stats.failed - 1);
      stillFailed.delete(h);
    }
    for (const h of failedInRescue) h.state.failed = true;
  }
  if (block.always.length) {
    const everyone = hosts.filter((h) => !h.state.unreachable && !h.ended);
    const failedWasFlagged = new Map(everyone.map((h) => [h, h.state.failed]));
    for (const h of everyone) h.state.failed = false; // always runs even for hosts that failed the block
    const failedInAlways = await runNodes(pr, block.always, everyone, scope);
    for (const h of everyone) h.state.failed = failedWasFlagged.get(h)! || failedInAlways.has(h);
    stillFailed = new Set([...stillFailed, ...failedInAlways]);
  }
  return stillFailed;
}

async function runOneTask(pr: PlayRun, task: Task, hosts: PlayHost[], parent: Scope): Promise<Set<PlayHost>> {
  if (pr.startAt.name !== undefined) {
    if (task.name !== pr.startAt.name) return new Set();
    pr.startAt.name = undefined;
  }
  const scope = enter(parent, task, false);
  if (!selectedByTags(scope.tags, pr.opts.tags, pr.opts.skipTags)) return new Set();
  if (task.module === 'meta')
    return runMeta(
      pr,
      task,
      hosts.filter((h) => metaApplies(pr, task, h, scope)),
      flushHandlers,
    );
  pr.deps.emit({ type: 'task', name: taskTitle(task), kind: 'task' });
  return runTaskOnHosts(pr, task, hosts, scope);
}

/** The shown name: "role : name" for role tasks. */
function taskTitle(t: Task): string {
  return t.role ? `${t.role} : ${t.name}` : t.name;
}

async function runTaskOnHosts(pr: PlayRun, task: Task, hosts: PlayHost[], scope: Scope): Promise<Set<PlayHost>> {
  const failed = new Set<PlayHost>();
  // pause waits once for the whole play, as in Ansible
  const targets = task.runOnce || task.module === 'pause' ? hosts.slice(0, 1) : hosts;
  // throttle: at most that many hosts at once (never more than --forks)
  const throttle = task.throttle ?? scope.throttle;
  const forks = throttle ? Math.min(pr.opts.forks, throttle) : pr.opts.forks;
  const outcomes = await mapLimit(targets, forks, async (h) => {
    pr.deps.emit({ type: 'host_start', host: h.state.name });
    const vars = hostVars(pr, h.state, scope);
    const hostScope = { ...scope, become: becomeFor(scope, vars, pr) };
    const run = { task, scope: hostScope, opts: pr.opts, deps: pr.deps, secrets: pr.secrets, vars, host: h.state, delegate: pr.delegate };
    let connectAs: (() => Transport) | undefined;
    try {
      const over = connectionOverride(run, pr.play.remoteUser, { host: h.state.name, task: task.name, pos: task.pos });
      if (over && pr.connectAs) connectAs = () => pr.connectAs!(h.state.name, over);
    } catch (e) {
      const msg = (e as Error).message;
      const o: HostOutcome = { status: 'failed', result: { failed: true, changed: false, msg }, msg };
      report(pr, task, h, o);
      return o;
    }
    const o = await runTask({ ...run, connectAs, stateOf: (n) => pr.hosts.get(n) });
    report(pr, task, h, o);
    return o;
  });
  if (task.runOnce && outcomes[0]) {
    const first = outcomes[0];
    // a run_once task that fails (not ignored) fails every host of the play, as in Ansible
    const failsAll = first.status === 'failed' && !isIgnored(first);
    for (const h of hosts.slice(1)) {
      if (task.register) h.state.hostVars[task.register] = first.result;
      if (failsAll && !h.state.unreachable) {
        h.state.failed = true;
        failed.add(h);
      }
    }
  }
  targets.forEach((h, i) => {
    const o = outcomes[i];
    const ignored = isIgnored(o);
    if (o.status === 'failed' && !ignored) {
      h.state.failed = true;
      failed.add(h);
    }
    // ignore_unreachable: the host stays in the play, and a later task connects again
    if (o.status === 'unreachable' && !ignored) {
      h.state.unreachable = true;
      failed.add(h);
    }
    if ((o.status === 'changed' || (o.items?.some((i) => i.status === 'changed') ?? false)) && task.notify.length) {
      for (const n of task.notify) h.notified.add(renderNotify(n, h, pr, scope));
    }
    if (task.register && (o.status !== 'unreachable' || ignored)) h.state.hostVars[task.register] = o.result;
  });
  if (failed.size && pr.play.anyErrorsFatal) pr.ended = true;
  return failed;
}

function renderNotify(name: string, h: PlayHost, pr: PlayRun, scope: Scope): string {
  if (!name.includes('{{')) return name;
  try {
    return String(renderString(name, hostVars(pr, h.state, scope), { host: h.state.name }));
  } catch {
    return name;
  }
}

/** Whether a failed or unreachable outcome is ignored (ignore_errors, ignore_unreachable, rendered for its host). */
function isIgnored(o: HostOutcome): boolean {
  const f: Flags | undefined = o.flags;
  return (o.status === 'failed' && (f?.ignoreErrors ?? false)) || (o.status === 'unreachable' && (f?.ignoreUnreachable ?? false));
}

function report(pr: PlayRun, task: Task, h: PlayHost, o: HostOutcome): void {
  // a no_log that could not be rendered hides the output too
  const noLog = o.flags?.noLog ?? (task.noLog !== undefined && task.noLog !== false);
  const censor = (r: Record<string, unknown>) =>
    noLog ? { censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result", changed: r.changed } : r;
  const ignored = isIgnored(o);
  const stats = h.state.stats;
  const show = task.module === 'debug' && !noLog;
  for (const item of o.items ?? []) {
    pr.deps.emit({
      type: 'result',
      host: h.state.name,
      delegatedTo: o.delegatedTo,
      status: item.status,
      item: noLog ? '(censored)' : item.label,
      msg: noLog ? undefined : item.msg,
      result: censor(item.result),
      show,
    });
  }
  if (!o.items || o.status === 'failed' || o.status === 'unreachable' || !o.items.length) {
    pr.deps.emit({
      type: 'result',
      host: h.state.name,
      delegatedTo: o.delegatedTo,
      status: o.status,
      msg: noLog ? undefined : o.msg,
      ignored,
      result: censor(o.result),
      diff: noLog ? undefined : (o.result.diff as never),
      show,
    });
  }
  count(stats, o.status, ignored);
}

function count(stats: HostState['stats'], status: Status, ignored: boolean): void {
  if ((status === 'failed' || status === 'unreachable') && ignored) {
    stats.ignored++;
    stats.ok++;
    return;
  }
  if (status === 'changed') {
    stats.changed++;
    stats.ok++;
  } else stats[status]++;
}

/**
 * Runs the handlers notified so far, in the order they are defined, on the hosts that notified them (with
 * force_handlers, on those that failed since too).
 */
export async function flushHandlers(pr: PlayRun, hosts: PlayHost[]): Promise<void> {
  const eligible = () => (pr.play.forceHandlers ? hosts.filter((h) => !h.ended && !h.state.unreachable) : active(hosts));
  for (const handler of pr.play.handlers) {
    const names = [handler.name, ...handler.listen];
    const targets = eligible().filter((h) => names.some((n) => h.notified.has(n)));
    if (!targets.length) continue;
    // names stay notified until the flush ends: a later handler may listen to the same one
    pr.deps.emit({ type: 'task', name: `${handler.role ? `${handler.role} : ` : ''}${handler.name}`, kind: 'handler' });
    await runTaskOnHosts(pr, handler, targets, playScope(pr.play));
  }
  for (const h of hosts) h.notified.clear();
}

/** The play's hosts in the order `order:` asks for (`random` picks for shuffle). */
export function orderHosts(hosts: string[], order: Play['order'], random: () => number = Math.random): string[] {
  switch (order) {
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort();
    case 'reverse_sorted':
      return [...hosts].sort().reverse();
    case 'shuffle': {
      const out = [...hosts];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    default:
      return hosts;
  }
}

/** The SSH user a play wants for a host: its remote_user, unless the inventory names ansible_user (which wins, as in Ansible). */
export function remoteUserFor(play: Pick<Play, 'remoteUser'>, inventoryVars: Record<string, unknown>): string | undefined {
  return inventoryVars.ansible_user === undefined ? play.remoteUser : undefined;
}
