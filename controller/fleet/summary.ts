/** What a report says in a few fields: the agent_check result and a `muster nodes` row are made from it. Pure. */
import type { NodeReport } from '../../shared/wire.js';

/** The short summary agent_check returns as `data.report` (snake_case, as playbook variables are). */
export interface ReportSummary {
  hostname: string;
  arch: string;
  os: string | null;
  kernel: string;
  agent_version: string;
  docker_version: string | null;
  memory_total_bytes: number | null;
  memory_limits_enforced: boolean;
  containers_running: number;
}

/** Pure: the summary of a report. */
export function summarise(r: NodeReport): ReportSummary {
  return {
    hostname: r.node.hostname,
    arch: r.node.arch?.normalised ?? r.node.arch?.raw ?? 'unknown',
    os: r.node.os ?? null,
    kernel: r.node.kernel,
    agent_version: r.agentVersion,
    docker_version: r.docker?.reachable ? r.docker.version : null,
    memory_total_bytes: r.node.memory?.totalBytes ?? null,
    memory_limits_enforced: limitsEnforced(r).enforced,
    containers_running: (r.containers ?? []).filter((c) => c.state === 'running').length,
  };
}

/** Whether memory limits are enforced on the node, and if not, why and what fixes it. */
export function limitsEnforced(r: NodeReport): { enforced: boolean; reason?: string; fix?: string } {
  const mem = r.cgroups?.memory;
  if (!mem?.enforced) {
    const pi = r.node.piModel ? ' (a Raspberry Pi: its kernel turns the memory cgroup off by default)' : '';
    return {
      enforced: false,
      reason: `${mem?.reason ?? 'the kernel does not enforce memory limits'}${pi}`,
      fix: 'enable the memory cgroup: muster play -i INVENTORY pi (it edits the kernel command line and reboots)',
    };
  }
  if (r.docker?.reachable && !r.docker.memoryLimit)
    return {
      enforced: false,
      reason: 'Docker reports no memory limit support',
      fix: 'enable the memory cgroup (muster play -i INVENTORY pi), then restart Docker',
    };
  return { enforced: true };
}
