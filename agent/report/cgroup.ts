/** Pure parsers of the cgroup layout: mounts, version, a process's cgroup, the memory controller's state. */

/** A cgroup filesystem mount from /proc/self/mountinfo. */
export interface CgroupMount {
  /** where it is mounted, e.g. /sys/fs/cgroup/memory */
  mountPoint: string;
  /** the cgroup path that is the mount's root (`/` on the host, deeper inside a cgroup namespace) */
  root: string;
  fstype: 'cgroup' | 'cgroup2';
  /** v1 controllers of this hierarchy (from the super options), empty for cgroup2 */
  controllers: string[];
}

/** The cgroup layout of the node. */
export type CgroupVersion = 'v1' | 'v2' | 'hybrid';

/** Whether the kernel knows the memory controller, and whether limits put on containers really bite. */
export interface MemoryControllerState {
  enabled: boolean;
  enforced: boolean;
  /** why limits are not enforced, for people */
  reason?: string;
}

/** A process's cgroup membership from /proc/PID/cgroup. */
export interface ProcCgroup {
  /** v1 hierarchies: controller (or `name=systemd`) -> path */
  v1: Map<string, string>;
  /** the unified (`0::`) path, when there is one */
  v2?: string;
}

// mountinfo escapes space, tab, newline and backslash as octal.
const unescapeOctal = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

const V1_OPTIONS = new Set(['rw', 'ro', 'relatime', 'noatime', 'nosuid', 'nodev', 'noexec', 'xattr', 'clone_children', 'noprefix']);

// A v1 super option names a controller unless it is a mount flag or a key=value setting (name=systemd is kept).
const isControllerOption = (o: string): boolean => o.startsWith('name=') || (o !== '' && !V1_OPTIONS.has(o) && !o.includes('='));

/** /proc/self/mountinfo -> the cgroup and cgroup2 mounts. */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const [fstype, , superOptions = ''] = line.slice(sep + 3).split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const controllers = fstype === 'cgroup' ? superOptions.split(',').filter(isControllerOption) : [];
    out.push({ mountPoint: unescapeOctal(left[4] ?? ''), root: unescapeOctal(left[3] ?? '/'), fstype, controllers });
  }
  return out;
}

/** v2 when cgroup2 is the only kind, v1 when only v1 hierarchies, hybrid when both; null without cgroups. */
export function cgroupVersion(mounts: CgroupMount[]): CgroupVersion | null {
  const v1 = mounts.some((m) => m.fstype === 'cgroup');
  const v2 = mounts.some((m) => m.fstype === 'cgroup2');
  if (v1 && v2) return 'hybrid';
  if (v1) return 'v1';
  return v2 ? 'v2' : null;
}

/** /proc/PID/cgroup (`id:controllers:path` lines) -> its v1 hierarchies and its unified path. */
export function parseProcCgroup(text: string): ProcCgroup {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, id, controllers, path] = m;
    if (id === '0' && controllers === '') v2 = path;
    else for (const c of controllers.split(',')) if (c) v1.set(c, path);
  }
  return { v1, v2 };
}

/**
 * The directory holding a process's files of one controller (`memory`, `cpu`, `pids`): the v1 hierarchy of
 * that controller when one is mounted, else the unified one on a v2-only host. Null when it is not mounted.
 */
export function controllerDir(proc: ProcCgroup, mounts: CgroupMount[], controller: string): { dir: string; version: 'v1' | 'v2' } | null {
  const v1Mount = mounts.find((m) => m.fstype === 'cgroup' && m.controllers.includes(controller));
  const v1Path = proc.v1.get(controller);
  if (v1Mount && v1Path !== undefined) return { dir: joinUnder(v1Mount, v1Path), version: 'v1' };
  if (v1Mount) return null;
  const v2Mount = mounts.find((m) => m.fstype === 'cgroup2');
  if (v2Mount && proc.v2 !== undefined && !mounts.some((m) => m.fstype === 'cgroup')) {
    return { dir: joinUnder(v2Mount, proc.v2), version: 'v2' };
  }
  return null;
}

/** The directory holding a process's memory files (hybrid hosts keep memory on v1). */
export const memoryCgroupDir = (proc: ProcCgroup, mounts: CgroupMount[]): { dir: string; version: 'v1' | 'v2' } | null => controllerDir(proc, mounts, 'memory');

// The path in /proc/PID/cgroup is relative to the hierarchy's root; the mount may show only a subtree of it.
function joinUnder(mount: CgroupMount, path: string): string {
  const root = mount.root === '/' ? '' : mount.root;
  const rel = root && (path === root || path.startsWith(`${root}/`)) ? path.slice(root.length) : path;
  const base = mount.mountPoint.replace(/\/+$/, '');
  return rel === '/' || rel === '' ? base : `${base}${rel.startsWith('/') ? '' : '/'}${rel}`;
}

/** /proc/cgroups -> controller -> enabled flag. */
export function parseProcCgroups(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , , enabled] = line.trim().split(/\s+/);
    if (name && enabled !== undefined) out.set(name, enabled === '1');
  }
  return out;
}

/**
 * Whether memory limits bite. v1: the kernel enables the controller and a memory hierarchy is mounted.
 * v2: `memory` is listed in the root's cgroup.controllers. A Pi booted without `cgroup_enable=memory`
 * fails both, and Docker then accepts `--memory` but nothing limits the container.
 */
export function memoryControllerState(
  version: CgroupVersion | null,
  procCgroups: Map<string, boolean>,
  mounts: CgroupMount[],
  v2Controllers: string | undefined,
): MemoryControllerState {
  const listed = (v2Controllers ?? '').trim().split(/\s+/).includes('memory');
  // Recent kernels may list only v1 controllers in /proc/cgroups: on v2, cgroup.controllers then decides.
  const enabled = procCgroups.get('memory') ?? (version === 'v2' && listed);
  const bootHint = 'add cgroup_enable=memory (and on a Pi, cgroup_memory=1) to the kernel command line and reboot';
  if (version === null) return { enabled, enforced: false, reason: 'no cgroup filesystem is mounted' };
  if (!enabled) return { enabled, enforced: false, reason: `the kernel has the memory controller disabled: ${bootHint}` };
  const v1Memory = mounts.some((m) => m.fstype === 'cgroup' && m.controllers.includes('memory'));
  if (version !== 'v2') {
    return v1Memory ? { enabled, enforced: true } : { enabled, enforced: false, reason: 'no cgroup v1 memory hierarchy is mounted' };
  }
  return listed ? { enabled, enforced: true } : { enabled, enforced: false, reason: `memory is not in /sys/fs/cgroup/cgroup.controllers: ${bootHint}` };
}
