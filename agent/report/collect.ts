/**
 * Collectors: read /proc, /sys and /etc (under a root, so tests point them at a recorded tree) and hand the
 * text to the pure parsers. Only files are read here: no process is spawned on the hot path.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineReport, CgroupReport, DiskSpace, NodeInfo } from '../../shared/wire.js';
import { parseCpuinfo, parseLoadavg, parseMeminfo, parseOsRelease, parseStatusRss, parseUptime } from './proc.js';
import {
  cgroupVersion,
  controllerDir,
  memoryCgroupDir,
  memoryControllerState,
  parseCgroupMounts,
  parseProcCgroup,
  parseProcCgroups,
  type CgroupMount,
  type ProcCgroup,
} from './cgroup.js';
import { CPU_FILES, parsePidsMax, parseV1Cpu, parseV2CpuMax, PIDS_FILE, type CpuLimit, type PidsLimit } from './cgroup-limits.js';
import { MEMORY_FILES, parseCgroupMemory } from './cgroup-memory.js';
import { normaliseArch, parsePiModel } from './platform.js';
import type { CgroupReading } from './containers.js';

/** Read access to a machine's files, relative to its root. */
export interface HostFiles {
  /** the file's text, undefined when it cannot be read */
  read(path: string): Promise<string | undefined>;
  /** directory entries, [] when unreadable */
  list(path: string): Promise<string[]>;
  /** space on the filesystem holding `path`, undefined when unknown */
  space(path: string): Promise<DiskSpace | undefined>;
}

// One buffer for every read: the files are small (/proc, /sys, /etc) and read one at a time.
const buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * A small file's text, read synchronously into the shared buffer. /proc and /sys files live in memory and
 * read in microseconds; the asynchronous readFile spent more time in its thread-pool hops, and allocated a
 * fresh 64 KiB buffer for each file whose size the kernel reports as 0 (all of /proc): with 20 containers
 * that was most of the agent's idle CPU, its garbage collection included. Reads never overlap, so the
 * memory they take is this one buffer.
 */
export function readSmallFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const full: Buffer[] = []; // copies of the buffer, for a file larger than it
    let used = 0;
    for (;;) {
      const n = readSync(fd, buffer, used, buffer.length - used, null);
      if (n === 0) break;
      used += n;
      if (used === buffer.length) {
        full.push(Buffer.from(buffer));
        used = 0;
      }
    }
    return full.length === 0 ? buffer.toString('utf8', 0, used) : Buffer.concat([...full, buffer.subarray(0, used)]).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** HostFiles over the real filesystem under `root` (`/` on a node, a fixture tree in tests). */
export function hostFiles(root = '/'): HostFiles {
  const at = (p: string): string => (root === '/' ? p : join(root, p));
  return {
    read: async (p) => readSmallFile(at(p)),
    list: (p) => readdir(at(p)).catch(() => []),
    async space(p) {
      try {
        const s = await statfs(at(p));
        return { path: p, totalBytes: s.blocks * s.bsize, freeBytes: s.bfree * s.bsize, availableBytes: s.bavail * s.bsize };
      } catch {
        return undefined;
      }
    },
  };
}

/** What the node knows of itself without reading files (from node:os in main). */
export interface HostIdentity {
  hostname: string;
  kernel: string;
  machine: string;
}

/** The node section of the report. */
export async function collectNode(
  fs: HostFiles,
  id: HostIdentity,
  extra: { labels: Record<string, string>; available: boolean; dataRoot: string | null },
): Promise<NodeInfo> {
  const [meminfo, loadavg, uptime, cpuinfo, osRelease, model] = await Promise.all([
    fs.read('/proc/meminfo'),
    fs.read('/proc/loadavg'),
    fs.read('/proc/uptime'),
    fs.read('/proc/cpuinfo'),
    fs.read('/etc/os-release').then((t) => t ?? fs.read('/usr/lib/os-release')),
    fs.read('/proc/device-tree/model'),
  ]);
  const paths = [...new Set(['/', ...(extra.dataRoot ? [extra.dataRoot] : [])])];
  const disks = (await Promise.all(paths.map((p) => fs.space(p)))).filter((d): d is DiskSpace => d !== undefined);
  return {
    hostname: id.hostname,
    os: osRelease === undefined ? null : (parseOsRelease(osRelease).PRETTY_NAME ?? null),
    kernel: id.kernel,
    arch: normaliseArch(id.machine),
    cpu: parseCpuinfo(cpuinfo ?? ''),
    memory: meminfo === undefined ? null : parseMeminfo(meminfo),
    disks,
    load: loadavg === undefined ? null : parseLoadavg(loadavg),
    uptimeS: uptime === undefined ? null : parseUptime(uptime),
    piModel: parsePiModel(model),
    labels: extra.labels,
    available: extra.available,
  };
}

/** The cgroup layout (mounts are returned too: container readings need them). */
export async function collectCgroups(fs: HostFiles): Promise<{ report: CgroupReport; mounts: CgroupMount[] }> {
  const [mountinfo, procCgroups, self] = await Promise.all([fs.read('/proc/self/mountinfo'), fs.read('/proc/cgroups'), fs.read('/proc/self/cgroup')]);
  const mounts = parseCgroupMounts(mountinfo ?? '');
  const version = cgroupVersion(mounts);
  const unified = mounts.find((m) => m.fstype === 'cgroup2');
  const controllers = unified ? await fs.read(join(unified.mountPoint, 'cgroup.controllers')) : undefined;
  const memory = memoryControllerState(version, parseProcCgroups(procCgroups ?? ''), mounts, controllers);
  const agent = self === undefined ? null : await readMemory(fs, mounts, parseProcCgroup(self));
  return {
    report: { version, memory, agent: { dir: agent?.dir ?? null, limit: agent?.memory?.limit ?? null, usageBytes: agent?.memory?.usageBytes ?? null } },
    mounts,
  };
}

async function readMemory(
  fs: HostFiles,
  mounts: CgroupMount[],
  proc: ProcCgroup,
): Promise<{ dir: string; memory: ReturnType<typeof parseCgroupMemory> } | null> {
  const where = memoryCgroupDir(proc, mounts);
  if (!where) return null;
  const names = MEMORY_FILES[where.version];
  const [limit, usage, events] = await Promise.all([names.limit, names.usage, names.events].map((n) => fs.read(join(where.dir, n))));
  return { dir: where.dir, memory: parseCgroupMemory(where.version, { limit, usage, events }) };
}

/** A container's enforced limits, found through its main process's /proc/PID/cgroup. */
export async function readContainerCgroup(fs: HostFiles, mounts: CgroupMount[], pid: number | undefined): Promise<CgroupReading> {
  const none = { cpus: null, pidsLimit: null };
  if (pid === undefined) return { source: 'not-running', dir: null, memory: null, ...none };
  const text = await fs.read(`/proc/${pid}/cgroup`);
  if (text === undefined) return { source: 'not-running', dir: null, memory: null, ...none }; // exited since Docker said otherwise
  const proc = parseProcCgroup(text);
  const [found, cpu] = await Promise.all([readMemory(fs, mounts, proc), readCpuAndPids(fs, mounts, proc)]);
  if (!found?.memory) return { source: 'no-memory-cgroup', dir: found?.dir ?? null, memory: null, ...cpu };
  return { source: 'cgroup', dir: found.dir, memory: found.memory, ...cpu };
}

async function readCpuAndPids(fs: HostFiles, mounts: CgroupMount[], proc: ProcCgroup): Promise<{ cpus: CpuLimit | null; pidsLimit: PidsLimit | null }> {
  const cpu = controllerDir(proc, mounts, 'cpu');
  const pids = controllerDir(proc, mounts, 'pids');
  const [quota, period, max, pidsMax] = await Promise.all([
    cpu?.version === 'v1' ? fs.read(join(cpu.dir, CPU_FILES.v1.quota)) : undefined,
    cpu?.version === 'v1' ? fs.read(join(cpu.dir, CPU_FILES.v1.period)) : undefined,
    cpu?.version === 'v2' ? fs.read(join(cpu.dir, CPU_FILES.v2.max)) : undefined,
    pids ? fs.read(join(pids.dir, PIDS_FILE)) : undefined,
  ]);
  return { cpus: cpu?.version === 'v1' ? parseV1Cpu(quota, period) : parseV2CpuMax(max), pidsLimit: parsePidsMax(pidsMax) };
}

// Process names (/proc/PID/comm) of the system's container machinery.
const BASELINE: { key: 'dockerdBytes' | 'containerdBytes' | 'k3sBytes'; test: (comm: string) => boolean }[] = [
  { key: 'dockerdBytes', test: (c) => c === 'dockerd' },
  { key: 'containerdBytes', test: (c) => c === 'containerd' },
  { key: 'k3sBytes', test: (c) => c === 'k3s' || c.startsWith('k3s-') },
];

type BaselineKey = (typeof BASELINE)[number]['key'];

/**
 * Which processes were dockerd, containerd and k3s at the last full scan of /proc. Between scans a tick
 * reads only those processes' files (a Pi has hundreds of processes; scanning them all every tick is most
 * of the agent's idle CPU); a vanished or reused pid, or every RESCAN_EVERY-th tick, brings a full scan.
 */
export interface BaselineCache {
  pids?: Map<string, BaselineKey>;
  ticks: number;
}

/** Full /proc scans happen at least every this many ticks (a k3s started later is found then). */
export const RESCAN_EVERY = 6;

/** Memory taken by dockerd, containerd, k3s and the agent itself (resident set sizes). */
export async function collectBaseline(fs: HostFiles, agentBytes: number, cache: BaselineCache = { ticks: 0 }): Promise<BaselineReport> {
  const out: BaselineReport = { dockerdBytes: null, containerdBytes: null, k3sBytes: null, agentBytes, totalBytes: agentBytes };
  const reuse = cache.pids !== undefined && cache.ticks % RESCAN_EVERY !== 0 ? await stillThere(fs, cache.pids) : undefined;
  cache.ticks++;
  const pids = reuse ?? (await scanBaseline(fs));
  cache.pids = pids;
  await Promise.all(
    [...pids].map(async ([pid, key]) => {
      const rss = parseStatusRss((await fs.read(`/proc/${pid}/status`)) ?? '');
      if (rss === null) return;
      out[key] = (out[key] ?? 0) + rss;
      out.totalBytes += rss;
    }),
  );
  return out;
}

async function kindOf(fs: HostFiles, pid: string): Promise<BaselineKey | undefined> {
  const comm = (await fs.read(`/proc/${pid}/comm`))?.trim();
  return comm === undefined ? undefined : BASELINE.find((b) => b.test(comm))?.key;
}

async function scanBaseline(fs: HostFiles): Promise<Map<string, BaselineKey>> {
  const pids = (await fs.list('/proc')).filter((e) => /^\d+$/.test(e));
  const kinds = await Promise.all(pids.map(async (pid) => [pid, await kindOf(fs, pid)] as const));
  return new Map(kinds.filter((k): k is readonly [string, BaselineKey] => k[1] !== undefined));
}

/** The cached pids when each is still the same kind of process; undefined asks for a full scan. */
async function stillThere(fs: HostFiles, pids: Map<string, BaselineKey>): Promise<Map<string, BaselineKey> | undefined> {
  const checks = await Promise.all([...pids].map(async ([pid, key]) => (await kindOf(fs, pid)) === key));
  return checks.every(Boolean) ? pids : undefined;
}
