/** Pure helpers about the machine: the architecture in OCI platform terms, the Raspberry Pi model. */

/** The CPU architecture both as the kernel names it and as image platforms do. */
export interface Arch {
  /** `uname -m`, e.g. aarch64 */
  raw: string;
  /** OCI platform architecture (with variant for 32-bit ARM), e.g. arm64, arm/v7; null when unknown */
  normalised: string | null;
}

// uname -m -> OCI `architecture[/variant]`, the names image manifests and `docker --platform` use.
const OCI_ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  i386: '386',
  i686: '386',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv8l: 'arm/v7', // a 32-bit userland on an ARMv8 core runs arm/v7 images
  armv7l: 'arm/v7',
  armv7: 'arm/v7',
  armv6l: 'arm/v6',
  armv6: 'arm/v6',
  riscv64: 'riscv64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};

/** `uname -m` -> raw and normalised architecture. */
export function normaliseArch(raw: string): Arch {
  const r = raw.trim();
  return { raw: r, normalised: OCI_ARCH[r] ?? null };
}

/** /proc/device-tree/model (NUL-terminated) -> the model when it is a Raspberry Pi, else null. */
export function parsePiModel(text: string | undefined): string | null {
  if (text === undefined) return null;
  const model = text.replace(/\0+$/, '').trim();
  return model.startsWith('Raspberry Pi') ? model : null;
}

/** An image's platform as the report and the image checks name it: `linux` and `arm64`, `arm/v7`... */
export interface Platform {
  os: string;
  /** normalised architecture, with the variant for 32-bit ARM */
  arch: string;
}

/**
 * An image config's `Architecture` and `Variant` -> the normalised architecture. Variants matter only for
 * 32-bit ARM (`arm` with no variant is v7, as containerd reads it); arm64's `v8` is dropped; kernel names
 * (`x86_64`, `aarch64`) are mapped as for nodes.
 */
export function imageArch(architecture: string, variant?: string | null): string {
  const a = architecture.trim().toLowerCase();
  const v = (variant ?? '').trim().toLowerCase();
  if (a === 'arm') return `arm/${v === '' ? 'v7' : v}`;
  if (a === 'arm64' || a === 'aarch64') return 'arm64';
  return normaliseArch(a).normalised ?? a;
}

/** `linux/arm64`, `linux/arm/v7`, `linux/amd64` -> the platform; undefined when it is not `os/arch[/variant]`. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_]+$/.test(p))) return undefined;
  return { os: parts[0], arch: imageArch(parts[1], parts[2]) };
}

/** `os/arch` for messages. */
export const platformName = (p: Platform): string => `${p.os}/${p.arch}`;

// Architectures a node runs besides its own: 64-bit ARM cores run 32-bit ARM userlands, x86-64 runs i386.
const ALSO_RUNS: Record<string, string[]> = {
  arm64: ['arm/v7', 'arm/v6'],
  'arm/v7': ['arm/v6'],
  amd64: ['386'],
};

/** Whether an image of platform `image` runs on a node of platform `node` without emulation. */
export function runsOn(image: Platform, node: Platform): boolean {
  if (image.os !== node.os) return false;
  return image.arch === node.arch || (ALSO_RUNS[node.arch] ?? []).includes(image.arch);
}
