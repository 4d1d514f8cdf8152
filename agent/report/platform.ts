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
