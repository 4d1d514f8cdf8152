/**
 * One task on a set of hosts, in parallel up to --forks (or throttle): run_once, notify, register, and
 * which hosts leave the play because they failed or could not be reached.
 */
import type { Task } from '../playbook/types.js';
import { renderString } from '../template/index.js';
import type { Transport } from '../transport/types.js';
import { becomeFor, hostVars } from './host-vars.js';
import { mapLimit } from './limit.js';
import type { PlayRun } from './play.js';
import type { Scope } from './scope.js';
import type { PlayHost } from './state.js';
import { runTask, type HostOutcome } from './task.js';
import { connectionOverride } from './task-keywords.js';
import { isIgnored, report } from './task-report.js';

/** Runs the task on the hosts; returns those that failed or became unreachable (not ignored). */
export async function runTaskOnHosts(pr: PlayRun, task: Task, hosts: PlayHost[], scope: Scope): Promise<Set<PlayHost>> {
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
