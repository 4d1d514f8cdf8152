/** Handlers: run at the end of each section of a play, once, on the hosts that notified them. */
import { active } from './play-hosts.js';
import type { PlayRun } from './play.js';
import { playScope } from './scope.js';
import type { PlayHost } from './state.js';
import { runTaskOnHosts } from './task-hosts.js';

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
