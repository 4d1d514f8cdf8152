/** meta tasks: flush_handlers, end_play, end_host, reset_connection, noop, clear_facts, on the hosts their `when` selects. */
import { evalCondition } from '../expr/index.js';
import type { Task } from '../playbook/types.js';
import { hostVars } from './host-vars.js';
import type { PlayRun } from './play.js';
import type { Scope } from './scope.js';
import type { PlayHost } from './state.js';

/** A meta task acts on the hosts where its `when` (and its blocks') holds. */
export function metaApplies(pr: PlayRun, task: Task, h: PlayHost, scope: Scope): boolean {
  const conditions = [...scope.when, ...task.when];
  if (!conditions.length) return true;
  const vars = hostVars(pr, h.state, scope);
  try {
    return conditions.every((c) => evalCondition(c.expr, vars, { host: h.state.name, task: task.name, pos: c.pos }));
  } catch (e) {
    pr.deps.emit({ type: 'warning', msg: `[${h.state.name}] meta skipped: ${(e as Error).message}` });
    return false;
  }
}

/** Runs a meta task's action on the hosts it applies to (flush_handlers through the play's `flush`). */
export async function runMeta(
  pr: PlayRun,
  task: Task,
  hosts: PlayHost[],
  flushHandlers: (pr: PlayRun, hosts: PlayHost[]) => Promise<void>,
): Promise<Set<PlayHost>> {
  if (!hosts.length) return new Set();
  const action = String(task.args._raw_params ?? task.args.free_form ?? '').trim();
  switch (action) {
    case 'flush_handlers':
      await flushHandlers(pr, hosts);
      // a host whose handler failed leaves the remaining tasks, as after a failed task
      return new Set(hosts.filter((h) => h.state.failed || h.state.unreachable));
    case 'end_play':
      pr.ended = true;
      break;
    case 'end_host':
      for (const h of hosts) h.ended = true;
      break;
    case 'reset_connection':
      await Promise.all(hosts.map((h) => h.state.transport?.reset()));
      break;
    case 'noop':
    case 'clear_facts':
      if (action === 'clear_facts') for (const h of hosts) h.state.facts = {};
      break;
    default:
      pr.deps.emit({ type: 'warning', msg: `meta: unknown action "${action}" ignored` });
  }
  return new Set();
}
