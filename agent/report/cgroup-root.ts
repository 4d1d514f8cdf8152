/**
 * The test-only `cgroup_root` setting: the cgroup layout is read from a recorded tree (`proc/self/mountinfo`,
 * `proc/cgroups`, `proc/self/cgroup`, `sys/fs/cgroup/...`) instead of the real /proc and /sys, so that a
 * test can run a real agent as if on a Raspberry Pi whose kernel has the memory controller off.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import type { DockerReport } from '../../shared/wire.js';
import type { HostFiles } from './collect.js';

// The files that describe the cgroup layout; everything under /sys (the cgroup mounts) comes from the tree too.
const FROM_TREE = new Set(['/proc/self/mountinfo', '/proc/cgroups', '/proc/self/cgroup']);

/** Whether `path` is read from the recorded tree. */
export const fromTree = (path: string): boolean => FROM_TREE.has(path) || path === '/sys' || path.startsWith('/sys/');

/**
 * HostFiles that read the cgroup layout from `tree` and everything else (memory, CPUs, processes, a
 * container's /proc/PID/cgroup) from `real`. A container's cgroup directory is then looked up in the tree:
 * on a tree without the memory controller there is no memory file, so the container's limit reads as not
 * enforced, as it would on such a kernel.
 */
export function cgroupRootFiles(real: HostFiles, tree: HostFiles): HostFiles {
  return {
    read: (p) => (fromTree(p) ? tree : real).read(p),
    list: (p) => (fromTree(p) ? tree : real).list(p),
    space: (p) => real.space(p),
  };
}

const NO_MEMORY = 'WARNING: No memory limit support';
const NO_SWAP = 'WARNING: No swap limit support';

/**
 * Docker's answer as dockerd on the recorded kernel would give it: dockerd reads MemoryLimit and SwapLimit
 * from the same kernel facts as the tree (a kernel without the memory controller makes both false and adds
 * its two warnings, as test/fixtures/agent/docker-info-26-pi5-nomemory.json shows). A tree that enforces
 * memory limits leaves the real answer as it is.
 */
export function dockerOnRecordedKernel(docker: DockerReport, memoryEnforced: boolean): DockerReport {
  if (memoryEnforced || !docker.reachable) return docker;
  const warnings = [...docker.warnings];
  for (const w of [NO_MEMORY, NO_SWAP]) if (!warnings.includes(w)) warnings.push(w);
  return { ...docker, memoryLimit: false, swapLimit: false, warnings };
}

/** Refuses a cgroup_root that is not a recorded tree (a typo would otherwise read as "no cgroups at all"). */
export function checkCgroupRoot(root: string): void {
  if (!existsSync(join(root, 'proc/self/mountinfo'))) {
    throw new MusterError('E_OPTION', `cgroup_root ${root} holds no proc/self/mountinfo`, {
      hint: 'cgroup_root is for tests: point it at a recorded tree such as test/fixtures/agent/hosts/pi5-v2-nomemory, or unset it',
    });
  }
}
