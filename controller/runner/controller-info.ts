/** What the controller itself is (its Node binary, the binary's architecture and libc), as the magic `muster_controller`. */
import type { Vars } from '../modules/types.js';

/** Node's name for a CPU architecture, as in its release tarballs (node-vX-linux-ARCH.tar.xz). */
export function nodeArchOf(arch: string, armVersion?: string | number): string {
  if (arch === 'arm') return `armv${armVersion ?? 7}l`;
  return arch;
}

/** The controller as playbooks see it: `node` (path), `node_version`, `node_arch` (x64, arm64, armv7l), `libc`, `glibc_version`. */
export function controllerInfo(): Vars {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = header?.glibcVersionRuntime;
  const armVersion = (process.config.variables as Record<string, unknown>).arm_version;
  return {
    node: process.execPath,
    node_version: process.versions.node,
    node_arch: nodeArchOf(process.arch, armVersion as string | undefined),
    libc: glibc ? 'glibc' : 'musl',
    glibc_version: glibc ?? null,
  };
}

let cached: Vars | undefined;

/** controllerInfo(), computed once per run (a process report costs a few milliseconds). */
export function controllerInfoOnce(): Vars {
  cached ??= controllerInfo();
  return cached;
}
