/** What a report says in a few fields: the agent_check result and a `muster nodes` row are made from it. Pure. */
import type { NodeReport } from '../../shared/wire.js';
import { allocatableBytes, DEFAULT_RESERVE_BYTES } from './allocatable.js';

/** The short summary agent_check returns as `data.report` (snake_case, as playbook variables are). */
export interface ReportSummary {
  hostname: string;
  arch: string;
  os: string | null;
  kernel: string;
  agent_version: string;
  docker_version: string | null;
  memory_total_bytes: number | null;
  /** what a scheduler may hand out, as `muster nodes` shows it: the total less the agent's baseline, less the reserve */
  memory_allocatable_bytes: number | null;
  /** the reserve that figure keeps back */
  memory_reserve_bytes: number;
  memory_limits_enforced: boolean;
  containers_running: number;
}

/** Pure: the summary of a report; `reserveBytes` is kept back from the allocatable memory (muster_memory_reserve). */
export function summarise(r: NodeReport, reserveBytes: number = DEFAULT_RESERVE_BYTES): ReportSummary {
  const total = r.node.memory?.totalBytes ?? null;
  return {
    hostname: r.node.hostname,
    arch: r.node.arch?.normalised ?? r.node.arch?.raw ?? 'unknown',
    os: r.node.os ?? null,
    kernel: r.node.kernel,
    agent_version: r.agentVersion,
    docker_version: r.docker?.reachable ? r.docker.version : null,
    memory_total_bytes: total,
    memory_allocatable_bytes: allocatableBytes(total, r.baseline?.totalBytes ?? 0, reserveBytes),
    memory_reserve_bytes: reserveBytes,
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
