/**
 * Why a replica is not (or not quite) what was asked, in words, from its node's report: the agent's
 * reconcile error, the exit code, restarts, OOM kills, a failing healthcheck, a memory limit the kernel does
 * not enforce. Pure.
 */
import type { ContainerReport, ContainerSpec, NodeReport } from '../../shared/wire.js';
import { formatBytes } from '../fleet/nodes-view.js';

const limitText = (v: number | 'unlimited' | null): string => (v === null ? 'nothing' : v === 'unlimited' ? 'no limit' : formatBytes(v));

/** Pure: the reasons for one held replica (`c` undefined: the agent has not created it), joined with `; `; '' when all is well. */
export function replicaWhy(spec: ContainerSpec, c: ContainerReport | undefined, report: NodeReport): string {
  const out: string[] = [];
  const err = report.reconcile?.lastError;
  const mine = err?.includes(spec.name) ? err : undefined;
  if (!c) {
    if (mine) out.push(`the agent: ${mine}`);
    else if (report.reconcile?.waitingFor) out.push(`the agent waits: ${report.reconcile.waitingFor}`);
    else out.push('not created yet');
    return out.join('; ');
  }
  const exit = c.exitCode === null ? '' : ` (exit code ${c.exitCode})`;
  if (c.state === 'exited' || c.state === 'dead') out.push(`${c.state}${exit}`);
  else if (c.state === 'restarting') out.push(`restarting${exit}`);
  if (c.restarts > 0) out.push(`restarted ${c.restarts} time(s)`);
  if (c.oomKills) out.push(`OOM-killed ${c.oomKills} time(s) (memory limit ${limitText(c.enforced.memoryLimit)})`);
  if (c.health === 'unhealthy') out.push('unhealthy: its healthcheck fails');
  if (c.limitMismatch) {
    const asked = c.asked.memoryLimit ?? spec.memoryLimit;
    out.push(
      c.enforced.source === 'no-memory-cgroup'
        ? `memory limit ${asked ? formatBytes(asked) : ''} not enforced: the node has no memory cgroup`.replace('  ', ' ')
        : `memory limit not enforced as asked (asked ${asked ? formatBytes(asked) : 'none'}, the kernel enforces ${limitText(c.enforced.memoryLimit)})`,
    );
  }
  if (mine) out.push(`the agent: ${mine}`);
  return out.join('; ');
}
