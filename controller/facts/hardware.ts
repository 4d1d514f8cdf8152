/** Hardware facts: processors (/proc/cpuinfo), memory (/proc/meminfo), uptime. */
import type { Vars } from '../modules/types.js';
import { int, lines, type Sections } from './sections.js';

// The cpuinfo keys whose values make up Ansible's `processor` list (x86, ARM, POWER spellings).
const PROCESSOR_KEYS = new Set(['processor', 'vendor_id', 'model name', 'Processor', 'cpu', 'Vendor']);

/** processor, processor_count/cores/threads_per_core/vcpus/nproc, following Ansible's reading of cpuinfo. */
export function cpuFacts(s: Sections): Vars {
  const processor: string[] = [];
  const sockets = new Map<string, number>(); // physical id -> cores per socket
  let entries = 0;
  let socket: string | undefined;
  let siblings: number | undefined;
  let coresPerSocket: number | undefined;
  for (const line of lines(s('cpuinfo'))) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (PROCESSOR_KEYS.has(key)) processor.push(value);
    if (key === 'processor') entries++;
    else if (key === 'physical id') {
      socket = value;
      if (!sockets.has(value)) sockets.set(value, 0);
    } else if (key === 'cpu cores') {
      coresPerSocket = int(value);
      if (socket !== undefined && coresPerSocket !== undefined) sockets.set(socket, coresPerSocket);
    } else if (key === 'siblings') siblings = int(value);
  }
  // Without "physical id" (ARM, most VMs without topology) each listed processor counts as one socket of one core.
  const count = sockets.size || entries;
  const cores = sockets.size ? coresPerSocket || 1 : 1;
  const threads = sockets.size && siblings && cores ? Math.max(1, Math.floor(siblings / cores)) : 1;
  const nproc = int(lines(s('nproc'))[0]);
  return {
    processor,
    processor_count: count,
    processor_cores: cores,
    processor_threads_per_core: threads,
    processor_vcpus: sockets.size ? threads * cores * count : entries,
    processor_nproc: nproc ?? entries,
  };
}

/** memtotal_mb & co and Ansible's memory_mb breakdown (MB are kB / 1024, rounded down, as Ansible does). */
export function memoryFacts(s: Sections): Vars {
  const kb = new Map<string, number>();
  for (const line of lines(s('meminfo'))) {
    const m = /^([\w()]+):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1], Number(m[2]));
  }
  const mb = (key: string): number => Math.floor((kb.get(key) ?? 0) / 1024);
  const total = mb('MemTotal');
  const free = mb('MemFree');
  const cacheFree = free + mb('Buffers') + mb('Cached');
  const swapTotal = mb('SwapTotal');
  const swapFree = mb('SwapFree');
  return {
    memtotal_mb: total,
    memfree_mb: free,
    swaptotal_mb: swapTotal,
    swapfree_mb: swapFree,
    memory_mb: {
      real: { total, free, used: total - free },
      nocache: { free: cacheFree, used: total - cacheFree },
      swap: { total: swapTotal, free: swapFree, used: swapTotal - swapFree, cached: mb('SwapCached') },
    },
  };
}

/** uptime_seconds and machine_id. */
export function uptimeFacts(s: Sections): Vars {
  const up = Number.parseFloat(s('uptime').split(/\s+/)[0] ?? '');
  return {
    uptime_seconds: Number.isFinite(up) ? Math.floor(up) : null,
    machine_id: lines(s('machine_id'))[0] ?? null,
  };
}
