/** Control group facts: which cgroup layout the kernel runs and whether the memory controller is usable. */
import type { Vars } from '../modules/types.js';
import { keyValues, lines, type Sections } from './sections.js';
import { parseMounts } from './mounts.js';

/** cgroup_version: 'v2' (unified), 'hybrid' (v1 controllers plus a cgroup2 at unified/), 'v1', or null. */
export function cgroupVersion(s: Sections): 'v1' | 'v2' | 'hybrid' | null {
  const fs = keyValues(s('cgroup_fs'));
  const root = fs.get('root') ?? '';
  const unified = fs.get('unified') ?? '';
  if (root === 'cgroup2fs') return 'v2';
  if (root === 'tmpfs') return unified === 'cgroup2fs' ? 'hybrid' : 'v1';
  // `stat -f` missing or refused: read the mount table instead.
  const mounts = parseMounts(s('mounts'));
  const v2 = mounts.find((m) => m.fstype === 'cgroup2');
  const v1 = mounts.some((m) => m.fstype === 'cgroup');
  if (v2 && !v1 && v2.mount === '/sys/fs/cgroup') return 'v2';
  if (v1) return v2 ? 'hybrid' : 'v1';
  return v2 ? 'v2' : null;
}

/** Whether the memory controller is on: v2 lists it in cgroup.controllers, v1 marks it enabled in /proc/cgroups. */
export function memoryCgroupEnabled(s: Sections, version: ReturnType<typeof cgroupVersion>): boolean {
  if (version === 'v2') return s('cgroup_controllers').split(/\s+/).includes('memory');
  for (const line of lines(s('proc_cgroups'))) {
    const [name, , , enabled] = line.split(/\s+/);
    if (name === 'memory') return enabled === '1';
  }
  return false;
}

/** cgroup_version and memory_cgroup_enabled. */
export function cgroupFacts(s: Sections): Vars {
  const version = cgroupVersion(s);
  return { cgroup_version: version, memory_cgroup_enabled: memoryCgroupEnabled(s, version) };
}
