/** What one host's outcome of a task shows (result events, no_log censoring) and counts (the recap's stats). */
import type { Task } from '../playbook/types.js';
import type { Status } from './events.js';
import type { PlayRun } from './play.js';
import type { HostState, PlayHost } from './state.js';
import type { HostOutcome } from './task.js';
import type { Flags } from './task-keywords.js';

/** Whether a failed or unreachable outcome is ignored (ignore_errors, ignore_unreachable, rendered for its host). */
export function isIgnored(o: HostOutcome): boolean {
  const f: Flags | undefined = o.flags;
  return (o.status === 'failed' && (f?.ignoreErrors ?? false)) || (o.status === 'unreachable' && (f?.ignoreUnreachable ?? false));
}

/** Emits the outcome's results (one per loop item, then the task's) and counts it in the host's stats. */
export function report(pr: PlayRun, task: Task, h: PlayHost, o: HostOutcome): void {
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
