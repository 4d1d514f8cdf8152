/**
 * The report, collected on the report interval and served from memory: GET /v1/report costs a copy, not a
 * round of file reads. Fields that change on an API call (availability, the reconciler's state) are live.
 */
import type { DockerPort } from '../docker/port.js';
import type { ObservedContainer } from '../types.js';
import type { Availability, DesiredSet, DockerReport, NodeReport, ReconcileStatus } from '../../shared/wire.js';
import type { LoopStatus } from '../reconcile/loop.js';
import { parseDockerInfo } from './docker-info.js';
import { collectBaseline, collectCgroups, type BaselineCache, collectNode, readContainerCgroup, type HostFiles, type HostIdentity } from './collect.js';
import { containerReport } from './containers.js';
import type { HardwareReport } from './hardware.js';
import { collectInventory, type Inventory, type PlatformCache } from './inventory.js';
import { dockerOnRecordedKernel } from './cgroup-root.js';

/** What the reporter reads from. */
export interface ReporterDeps {
  files: HostFiles;
  identity: HostIdentity;
  docker: DockerPort;
  agentVersion: string;
  labels: Record<string, string>;
  /** the node's availability (live: it changes on an API call) */
  availability: () => Availability;
  /**
   * the cgroup files come from a recorded tree (the test-only cgroup_root setting): Docker's memory-limit
   * capability is then reported as that tree's kernel would make dockerd report it
   */
  cgroupsRecorded?: boolean;
  desired: () => DesiredSet | null;
  loop: () => LoopStatus;
  /** why there is no desired set, when there is none */
  waitingFor: () => string | undefined;
  /** the agent's own resident memory */
  agentRss: () => number;
  now?: () => Date;
  /** a cached report older than this is collected again on request */
  maxAgeMs: number;
  /** the hardware cache's snapshot (synchronous: it is copied into every report, never awaited) */
  hardware?: () => HardwareReport;
}

/** The report with its hardware section (null when the agent runs without a hardware cache). */
export type AgentReport = NodeReport & { hardware: HardwareReport | null };

/** Serves and refreshes the report. */
export interface Reporter {
  /** the cached report (collected now if there is none or it is too old), with live fields updated */
  latest(): Promise<AgentReport>;
  /** collects a fresh report */
  refresh(): Promise<AgentReport>;
  /** what the report says has changed (Docker told of a container event): the next latest() collects again */
  invalidate(): void;
}

/** The engine's info is read again every this many reports (it changes when Docker is upgraded or reconfigured). */
export const INFO_EVERY = 6;

const unreachable = (e: unknown): DockerReport => ({ reachable: false, error: e instanceof Error ? e.message : String(e), ...parseDockerInfo(undefined) });

/** A reporter over its sources. */
export function reporter(deps: ReporterDeps): Reporter {
  const now = deps.now ?? (() => new Date());
  let cached: { at: number; report: AgentReport } | undefined;
  let inFlight: Promise<AgentReport> | undefined;
  const hardware = (): HardwareReport | null => deps.hardware?.() ?? null;

  const reconcile = (): ReconcileStatus => {
    const set = deps.desired();
    const loop = deps.loop();
    const waitingFor = set === null ? (deps.waitingFor() ?? 'no desired set received yet') : undefined;
    return {
      generation: set?.generation ?? null,
      desiredCount: set?.containers.length ?? 0,
      converged: set !== null && loop.converged,
      lastAction: loop.lastAction,
      lastError: loop.lastError,
      ...(waitingFor ? { waitingFor } : {}),
    };
  };

  const baselineCache: BaselineCache = { ticks: 0 };
  let info: { docker: DockerReport; uses: number } | undefined; // the last good answer, while Docker answers

  // The engine's info, read again every INFO_EVERY reports; the list of containers, every report.
  async function observeDocker(): Promise<{ docker: DockerReport; observed: ObservedContainer[] }> {
    try {
      if (!info || info.uses >= INFO_EVERY) info = { docker: { reachable: true, ...parseDockerInfo(await deps.docker.info()) }, uses: 0 };
      info.uses++;
      return { docker: info.docker, observed: await deps.docker.list() };
    } catch (e) {
      info = undefined;
      return { docker: unreachable(e), observed: [] };
    }
  }

  // Volumes, images and others' ports: left out of the report (not guessed) when Docker fails to list them.
  const platforms: PlatformCache = new Map();
  const inventory = (): Promise<Inventory | undefined> => collectInventory(deps.docker, platforms).catch(() => undefined);

  async function collect(): Promise<AgentReport> {
    const [{ docker: engine, observed }, cgroups, inv] = await Promise.all([observeDocker(), collectCgroups(deps.files), inventory()]);
    const docker = deps.cgroupsRecorded ? dockerOnRecordedKernel(engine, cgroups.report.memory.enforced) : engine;
    const specs = new Map((deps.desired()?.containers ?? []).map((s) => [s.name, s]));
    const availability = deps.availability();
    const [node, baseline, containers] = await Promise.all([
      collectNode(deps.files, deps.identity, { labels: deps.labels, available: availability === 'active', dataRoot: docker.dataRoot }),
      collectBaseline(deps.files, deps.agentRss(), baselineCache),
      Promise.all(observed.map(async (c) => containerReport(c, specs.get(c.name), await readContainerCgroup(deps.files, cgroups.mounts, c.pid)))),
    ]);
    // The loop counts the restarts it did; Docker only counts its own.
    const loopCounts = new Map(deps.loop().observed.map((c) => [c.id, c.restartCount]));
    for (const c of containers) c.restarts = Math.max(c.restarts, loopCounts.get(c.id) ?? 0);
    return {
      agentVersion: deps.agentVersion,
      collectedAt: now().toISOString(),
      node: { ...node, availability },
      cgroups: cgroups.report,
      docker,
      containers: containers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      baseline,
      reconcile: reconcile(),
      ...(inv ? { volumes: inv.volumes, images: inv.images, portsInUse: inv.portsInUse } : {}),
      hardware: hardware(),
    };
  }

  let changes = 0; // invalidate() calls: a collection that overlapped one is not kept
  const refresh = (): Promise<AgentReport> => {
    const seen = changes;
    inFlight ??= collect()
      .then((report) => {
        if (changes === seen) cached = { at: now().getTime(), report };
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    refresh,
    invalidate() {
      changes++;
      cached = undefined;
    },
    async latest() {
      const fresh = cached && now().getTime() - cached.at <= deps.maxAgeMs ? cached.report : await refresh();
      // The hardware section is live too: its age must be the age now, and the cache may have been refreshed.
      const availability = deps.availability();
      return { ...fresh, node: { ...fresh.node, available: availability === 'active', availability }, reconcile: reconcile(), hardware: hardware() };
    },
  };
}
