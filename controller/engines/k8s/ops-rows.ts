/**
 * What `muster services|ps --engine k3s` show, from the objects the API server lists (pure): a row per
 * Deployment or DaemonSet (ready/desired, image, published ports, rollout), a row per Pod (node, phase,
 * ready containers, restarts, why it is not running).
 */
import { rolledOut } from './apply.js';
import { SERVICE_LABEL } from './names.js';

type Meta = { name: string; namespace?: string; generation?: number; labels?: Record<string, string>; deletionTimestamp?: string };

/** A Deployment or DaemonSet as listed. */
export interface WorkloadItem {
  kind: string;
  metadata: Meta;
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  status?: Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string }[] };
}

/** A Service as listed. */
export interface ServiceItem {
  metadata: Meta;
  spec?: { type?: string; ports?: { port: number; targetPort?: number | string; protocol?: string }[] };
}

type ContainerState = { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number }; running?: object };

/** A Pod as listed. */
export interface PodItem {
  metadata: Meta;
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: { ready?: boolean; restartCount?: number; state?: ContainerState }[];
  };
}

export interface ServiceRow {
  name: string;
  mode: 'replicated' | 'global';
  ready: number;
  desired: number;
  image: string;
  ports: string[];
  /** complete: every replica updated and available; stalled: the Deployment's progress deadline passed */
  rollout: 'complete' | 'progressing' | 'stalled';
}

export interface PodRow {
  name: string;
  service: string;
  node: string;
  phase: string;
  /** ready containers / containers */
  ready: string;
  restarts: number;
  /** why it is not running: a waiting container's reason (ImagePullBackOff, CrashLoopBackOff), Unschedulable... */
  reason: string;
  running: boolean;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'en', { numeric: true });

/** The ports a service's Services publish (`*:8080->80/tcp`), or, without any, the ports inside the cluster (`80/tcp`). */
export function portsOf(service: string, services: ServiceItem[]): string[] {
  const own = services.filter((s) => s.metadata.labels?.[SERVICE_LABEL] === service);
  const proto = (p: { protocol?: string }) => (p.protocol ?? 'TCP').toLowerCase();
  const published = own
    .filter((s) => s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort')
    .flatMap((s) => (s.spec?.ports ?? []).map((p) => `*:${p.port}->${p.targetPort ?? p.port}/${proto(p)}`));
  if (published.length > 0) return published;
  return own.flatMap((s) => (s.spec?.ports ?? []).map((p) => `${p.port}/${proto(p)}`));
}

/** One row per workload, sorted by name. */
export function serviceRows(workloads: WorkloadItem[], services: ServiceItem[]): ServiceRow[] {
  return workloads
    .map((w): ServiceRow => {
      const s = w.status ?? {};
      const global = w.kind === 'DaemonSet';
      const stalled = (s.conditions ?? []).some((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
      return {
        name: w.metadata.name,
        mode: global ? 'global' : 'replicated',
        ready: num(global ? s.numberReady : s.readyReplicas),
        desired: global ? num(s.desiredNumberScheduled) : (w.spec?.replicas ?? 1),
        image: (w.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '?').join(',') || '-',
        ports: portsOf(w.metadata.labels?.[SERVICE_LABEL] ?? w.metadata.name, services),
        rollout: rolledOut({ kind: w.kind, metadata: w.metadata, spec: w.spec, status: s as Record<string, number> })
          ? 'complete'
          : stalled
            ? 'stalled'
            : 'progressing',
      };
    })
    .sort(byName);
}

/** Whether every service has all its replicas ready and rolled out (the exit code of services). */
export const allServicesRunning = (rows: ServiceRow[]): boolean => rows.every((r) => r.ready === r.desired && r.rollout === 'complete');

// Why a pod does not run: a waiting or terminated container's reason, the pod's own (Evicted), or why it is not scheduled.
function reasonOf(p: PodItem): string {
  const states = (p.status?.containerStatuses ?? []).map((c) => c.state ?? {});
  const waiting = states.find((s) => s.waiting?.reason)?.waiting?.reason;
  if (waiting) return waiting;
  const ended = states.find((s) => s.terminated)?.terminated;
  if (ended) return ended.reason ?? `exit ${ended.exitCode ?? '?'}`;
  if (p.status?.reason) return p.status.reason;
  const unscheduled = (p.status?.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return `${unscheduled.reason ?? 'Unschedulable'}${unscheduled.message ? `: ${unscheduled.message}` : ''}`;
  return '';
}

/** One row per pod, sorted by name; a pod being deleted is `Terminating`. */
export function podRows(pods: PodItem[]): PodRow[] {
  return pods
    .map((p): PodRow => {
      const containers = p.status?.containerStatuses ?? [];
      const ready = containers.filter((c) => c.ready === true).length;
      const terminating = p.metadata.deletionTimestamp !== undefined;
      const phase = terminating ? 'Terminating' : (p.status?.phase ?? 'Pending');
      const running = phase === 'Running' && containers.length > 0 && ready === containers.length;
      return {
        name: p.metadata.name,
        service: p.metadata.labels?.[SERVICE_LABEL] ?? '-',
        node: p.spec?.nodeName ?? '-',
        phase,
        ready: `${ready}/${containers.length}`,
        restarts: containers.reduce((n, c) => n + (c.restartCount ?? 0), 0),
        reason: running ? '' : reasonOf(p),
        running,
      };
    })
    .sort(byName);
}

/** Whether every pod that is not being deleted runs with all its containers ready (the exit code of ps). */
export const allPodsRunning = (rows: PodRow[]): boolean => rows.every((r) => r.phase === 'Terminating' || r.running);

/** A table with two spaces between columns. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`).join('');
}

export const renderServices = (rows: ServiceRow[]): string =>
  table([
    ['NAME', 'MODE', 'READY', 'IMAGE', 'PORTS', 'ROLLOUT'],
    ...rows.map((r) => [r.name, r.mode, `${r.ready}/${r.desired}`, r.image, r.ports.join(',') || '-', r.rollout]),
  ]);

export const renderPods = (rows: PodRow[]): string =>
  table([['NAME', 'NODE', 'PHASE', 'READY', 'RESTARTS', 'REASON'], ...rows.map((r) => [r.name, r.node, r.phase, r.ready, String(r.restarts), r.reason])]);
