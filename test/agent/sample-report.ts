/** A complete NodeReport for API and metrics tests (a Pi 4 with two containers, one over its OOM limit). */
import type { ContainerReport, NodeReport } from '../../shared/wire.js';

const MiB = 1024 * 1024;

/** One container report with overrides. */
export function containerReport(more: Partial<ContainerReport> = {}): ContainerReport {
  return {
    name: 'web_api.1',
    id: 'c0ffee',
    stack: 'web',
    service: 'api',
    replica: 1,
    image: 'muster-busybox:1',
    state: 'running',
    health: 'healthy',
    restarts: 2,
    exitCode: null,
    asked: { memoryLimit: 128 * MiB, memoryReservation: 64 * MiB, cpus: 0.5, pidsLimit: 100 },
    enforced: { memoryLimit: 128 * MiB, cpus: 0.5, pidsLimit: 100, source: 'cgroup', cgroupDir: '/sys/fs/cgroup/system.slice/docker-c0ffee.scope' },
    usageBytes: 50 * MiB,
    oomKills: 2,
    limitMismatch: false,
    cpuMismatch: false,
    pidsMismatch: false,
    ...more,
  };
}

/** The sample report. */
export function sampleReport(): NodeReport {
  return {
    agentVersion: '0.1.0',
    collectedAt: '2026-01-02T03:04:05.000Z',
    node: {
      hostname: 'pi4-a',
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.6.51+rpt-rpi-v8',
      arch: { raw: 'aarch64', normalised: 'arm64' },
      cpu: { count: 4, model: 'Cortex-A72' },
      memory: { totalBytes: 3885396 * 1024, availableBytes: 3421076 * 1024, swapTotalBytes: 204796 * 1024, swapFreeBytes: 204796 * 1024 },
      disks: [{ path: '/', totalBytes: 30e9, freeBytes: 20e9, availableBytes: 19e9 }],
      load: [0.08, 0.12, 0.1],
      uptimeS: 86412.07,
      piModel: 'Raspberry Pi 4 Model B Rev 1.4',
      labels: { zone: 'shelf "1"' },
      available: true,
    },
    cgroups: {
      version: 'v2',
      memory: { enabled: true, enforced: true },
      agent: { dir: '/sys/fs/cgroup/system.slice/muster-agent.service', limit: 256 * MiB, usageBytes: 40 * MiB },
    },
    docker: {
      reachable: true,
      version: '26.1.5',
      cgroupDriver: 'systemd',
      cgroupVersion: '2',
      memoryLimit: true,
      swapLimit: true,
      warnings: [],
      dataRoot: '/var/lib/docker',
    },
    containers: [
      containerReport(),
      containerReport({
        name: 'web_cache.1',
        id: 'beef',
        service: 'cache',
        health: null,
        restarts: 0,
        oomKills: 0,
        asked: { memoryLimit: null, memoryReservation: null, cpus: null, pidsLimit: null },
        enforced: {
          memoryLimit: 'unlimited',
          cpus: 'unlimited',
          pidsLimit: 'unlimited',
          source: 'cgroup',
          cgroupDir: '/sys/fs/cgroup/system.slice/docker-beef.scope',
        },
        usageBytes: 8650752,
      }),
    ],
    baseline: { dockerdBytes: 74512 * 1024, containerdBytes: null, k3sBytes: null, agentBytes: 40 * MiB, totalBytes: 74512 * 1024 + 40 * MiB },
    reconcile: { generation: 7, desiredCount: 2, converged: true, lastAction: 'start web_api.1', lastError: null },
  };
}
