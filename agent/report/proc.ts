/** Pure parsers of /proc files: memory, load, uptime, CPUs, OS release, a process's resident memory. */

/** Memory of the node in bytes, as /proc/meminfo gives it. */
export interface MemInfo {
  totalBytes: number;
  availableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
}

/** CPU count and a human model name. */
export interface CpuInfo {
  count: number;
  model: string | null;
}

/** Reads `Key:   value kB` lines into a map of bytes (values without a unit are taken as they are). */
function kbFields(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1], Number(m[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1));
  }
  return out;
}

/** /proc/meminfo -> bytes; null when MemTotal is missing (not a meminfo file). */
export function parseMeminfo(text: string): MemInfo | null {
  const f = kbFields(text);
  const total = f.get('MemTotal');
  if (total === undefined) return null;
  // Kernels before 3.14 have no MemAvailable: free + buffers + page cache is the usual estimate.
  const available = f.get('MemAvailable') ?? (f.get('MemFree') ?? 0) + (f.get('Buffers') ?? 0) + (f.get('Cached') ?? 0);
  return {
    totalBytes: total,
    availableBytes: available,
    swapTotalBytes: f.get('SwapTotal') ?? 0,
    swapFreeBytes: f.get('SwapFree') ?? 0,
  };
}

/** /proc/loadavg -> the 1, 5 and 15 minute load averages. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const parts = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (parts.length < 3 || parts.some((n) => !Number.isFinite(n))) return null;
  return [parts[0], parts[1], parts[2]];
}

/** /proc/uptime -> seconds since boot. */
export function parseUptime(text: string): number | null {
  const n = Number(text.trim().split(/\s+/)[0]);
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
}

// ARM Ltd (implementer 0x41) part numbers of the cores found in Raspberry Pis and common ARM boards.
const ARM_PARTS: Record<string, string> = {
  '0xb76': 'ARM1176',
  '0xc07': 'Cortex-A7',
  '0xc08': 'Cortex-A8',
  '0xc09': 'Cortex-A9',
  '0xc0f': 'Cortex-A15',
  '0xd03': 'Cortex-A53',
  '0xd04': 'Cortex-A35',
  '0xd05': 'Cortex-A55',
  '0xd07': 'Cortex-A57',
  '0xd08': 'Cortex-A72',
  '0xd09': 'Cortex-A73',
  '0xd0a': 'Cortex-A75',
  '0xd0b': 'Cortex-A76',
};

/** /proc/cpuinfo -> logical CPU count and model (x86 `model name`, or the ARM core named from its part number). */
export function parseCpuinfo(text: string): CpuInfo {
  let count = 0;
  let modelName: string | undefined;
  let implementer: string | undefined;
  let part: string | undefined;
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (key === 'processor' && /^\d+$/.test(value)) count++;
    else if (key === 'model name') modelName ??= value;
    else if (key === 'CPU implementer') implementer ??= value.toLowerCase();
    else if (key === 'CPU part') part ??= value.toLowerCase();
  }
  // An ARMv7 "model name" (e.g. "ARMv7 Processor rev 4 (v7l)") names the ISA, not the core: prefer the part.
  const armCore = implementer === '0x41' && part ? ARM_PARTS[part] : undefined;
  const model = armCore ?? modelName ?? (part ? `ARM part ${part}` : null);
  return { count, model };
}

/** /etc/os-release -> its fields, quotes removed. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2];
    if (/^(["']).*\1$/.test(v)) v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    out[m[1]] = v;
  }
  return out;
}

/** /proc/PID/status -> resident set size in bytes (VmRSS), null for kernel threads and zombies. */
export function parseStatusRss(text: string): number | null {
  const rss = kbFields(text).get('VmRSS');
  return rss ?? null;
}
