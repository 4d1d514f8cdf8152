/** The report as Prometheus text exposition format (version 0.0.4): pure, from a NodeReport. */
import type { ContainerReport, NodeReport } from '../../shared/wire.js';
import { AVAILABILITIES } from '../state/availability.js';

/** The Content-Type of the Prometheus text format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string | number>;
interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels?: Labels; value: number }[];
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

function formatLabels(labels: Labels | undefined): string {
  if (!labels || Object.keys(labels).length === 0) return '';
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(String(v))}"`)
    .join(',')}}`;
}

/** Families -> exposition text; families without samples are left out. */
export function renderFamilies(families: Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) out.push(`${f.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${out.join('\n')}\n`;
}

const limitValue = (l: number | 'unlimited'): number => (l === 'unlimited' ? Infinity : l);
const bool = (b: boolean): number => (b ? 1 : 0);
const one = (value: number | null | undefined, labels?: Labels): { labels?: Labels; value: number }[] =>
  value === null || value === undefined ? [] : [{ labels, value }];

function containerLabels(c: ContainerReport): Labels {
  return { name: c.name, stack: c.stack ?? '', service: c.service ?? '', replica: c.replica ?? '' };
}

/** Everything /metrics shows: node memory, memory/CPU/pids limits asked vs enforced, usage, restarts, OOM kills. */
export function renderMetrics(r: NodeReport): string {
  const cs = r.containers;
  const per = (pick: (c: ContainerReport) => number | null | undefined) => cs.flatMap((c) => one(pick(c), containerLabels(c)));
  const mem = r.node.memory;
  const families: Family[] = [
    { name: 'muster_node_memory_total_bytes', help: 'Memory of the node (MemTotal).', type: 'gauge', samples: one(mem?.totalBytes) },
    { name: 'muster_node_memory_available_bytes', help: 'Memory available for new work (MemAvailable).', type: 'gauge', samples: one(mem?.availableBytes) },
    { name: 'muster_node_swap_total_bytes', help: 'Swap of the node.', type: 'gauge', samples: one(mem?.swapTotalBytes) },
    { name: 'muster_node_swap_free_bytes', help: 'Free swap.', type: 'gauge', samples: one(mem?.swapFreeBytes) },
    { name: 'muster_node_cpus', help: 'Logical CPUs.', type: 'gauge', samples: one(r.node.cpu.count) },
    {
      name: 'muster_node_load',
      help: 'Load average.',
      type: 'gauge',
      samples: r.node.load ? ['1m', '5m', '15m'].map((period, i) => ({ labels: { period }, value: r.node.load![i] })) : [],
    },
    { name: 'muster_node_uptime_seconds', help: 'Seconds since boot.', type: 'gauge', samples: one(r.node.uptimeS) },
    { name: 'muster_node_available', help: '1 when the node takes new work, 0 while paused or drained.', type: 'gauge', samples: one(bool(r.node.available)) },
    {
      name: 'muster_node_availability',
      help: 'The node availability: 1 for the one it has (active, pause or drain), 0 for the others.',
      type: 'gauge',
      samples: AVAILABILITIES.map((a) => ({
        labels: { availability: a },
        value: bool(a === (r.node.availability ?? (r.node.available ? 'active' : 'drain'))),
      })),
    },
    {
      name: 'muster_node_disk_available_bytes',
      help: 'Space available on / and the Docker data root.',
      type: 'gauge',
      samples: r.node.disks.map((d) => ({ labels: { path: d.path }, value: d.availableBytes })),
    },
    {
      name: 'muster_cgroup_memory_enforced',
      help: '1 when memory limits are enforced by the kernel.',
      type: 'gauge',
      samples: one(bool(r.cgroups.memory.enforced)),
    },
    { name: 'muster_docker_up', help: '1 when the Docker engine answers.', type: 'gauge', samples: one(bool(r.docker.reachable)) },
    {
      name: 'muster_baseline_memory_bytes',
      help: 'Memory taken by the system before any managed container (resident set size).',
      type: 'gauge',
      samples: (
        [
          ['dockerd', r.baseline.dockerdBytes],
          ['containerd', r.baseline.containerdBytes],
          ['k3s', r.baseline.k3sBytes],
          ['agent', r.baseline.agentBytes],
        ] as const
      ).flatMap(([process, v]) => one(v, { process })),
    },
    { name: 'muster_desired_generation', help: 'Generation of the desired set being converged to.', type: 'gauge', samples: one(r.reconcile.generation) },
    { name: 'muster_desired_containers', help: 'Containers in the desired set.', type: 'gauge', samples: one(r.reconcile.desiredCount) },
    { name: 'muster_reconcile_converged', help: '1 when the containers match the desired set.', type: 'gauge', samples: one(bool(r.reconcile.converged)) },
    { name: 'muster_container_up', help: '1 when the container is running.', type: 'gauge', samples: per((c) => bool(c.state === 'running')) },
    { name: 'muster_container_memory_limit_asked_bytes', help: 'Memory limit in the desired spec.', type: 'gauge', samples: per((c) => c.asked.memoryLimit) },
    {
      name: 'muster_container_memory_limit_enforced_bytes',
      help: 'Memory limit in the container cgroup (+Inf: none).',
      type: 'gauge',
      samples: per((c) => (c.enforced.memoryLimit === null ? null : limitValue(c.enforced.memoryLimit))),
    },
    {
      name: 'muster_container_memory_limit_mismatch',
      help: '1 when the asked and enforced limits differ.',
      type: 'gauge',
      samples: per((c) => bool(c.limitMismatch)),
    },
    { name: 'muster_container_cpu_limit_asked_cpus', help: 'CPU limit in the desired spec (CPUs).', type: 'gauge', samples: per((c) => c.asked.cpus) },
    {
      name: 'muster_container_cpu_limit_enforced_cpus',
      help: 'CFS quota over period in the container cgroup, in CPUs (+Inf: none).',
      type: 'gauge',
      samples: per((c) => (c.enforced.cpus === null ? null : limitValue(c.enforced.cpus))),
    },
    {
      name: 'muster_container_cpu_limit_mismatch',
      help: '1 when the asked and enforced CPU limits differ.',
      type: 'gauge',
      samples: per((c) => bool(c.cpuMismatch)),
    },
    { name: 'muster_container_pids_limit_asked', help: 'Pids limit in the desired spec.', type: 'gauge', samples: per((c) => c.asked.pidsLimit) },
    {
      name: 'muster_container_pids_limit_enforced',
      help: 'pids.max of the container cgroup (+Inf: none).',
      type: 'gauge',
      samples: per((c) => (c.enforced.pidsLimit === null ? null : limitValue(c.enforced.pidsLimit))),
    },
    {
      name: 'muster_container_pids_limit_mismatch',
      help: '1 when the asked and enforced pids limits differ.',
      type: 'gauge',
      samples: per((c) => bool(c.pidsMismatch)),
    },
    { name: 'muster_container_memory_usage_bytes', help: 'Memory charged to the container cgroup.', type: 'gauge', samples: per((c) => c.usageBytes) },
    { name: 'muster_container_restarts_total', help: 'Restarts of the container.', type: 'counter', samples: per((c) => c.restarts) },
    {
      name: 'muster_container_oom_kills_total',
      help: 'Processes of the container killed by the OOM killer.',
      type: 'counter',
      samples: per((c) => c.oomKills),
    },
  ];
  return renderFamilies(families);
}
