// Reads a process's CPU time and resident memory from /proc text. Pure: file contents in, numbers out.

/**
 * utime + stime, in clock ticks, from the text of /proc/PID/stat. The command name (field 2) may hold
 * spaces and parentheses, so fields are counted from the last ')'.
 */
export function cpuTicks (statText) {
  const end = statText.lastIndexOf(')')
  if (end < 0) throw new Error('not a /proc/PID/stat line')
  // After ')': field 3 (state) is index 0, so utime (field 14) is index 11 and stime (15) index 12.
  const fields = statText.slice(end + 2).trim().split(/\s+/)
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error('no utime/stime in /proc/PID/stat')
  return utime + stime
}

/** VmRSS in KiB from the text of /proc/PID/status. */
export function rssKib (statusText) {
  const m = statusText.match(/^VmRSS:\s*(\d+)\s*kB/m)
  if (!m) throw new Error('no VmRSS in /proc/PID/status')
  return Number(m[1])
}

/**
 * Anonymous resident memory in KiB from /proc/PID/smaps_rollup: what the process holds privately (heap,
 * buffers, stacks), without the pages of its executable that the page cache shares and can evict.
 */
export function anonKib (smapsRollupText) {
  const m = smapsRollupText.match(/^Anonymous:\s*(\d+)\s*kB/m)
  if (!m) throw new Error('no Anonymous in /proc/PID/smaps_rollup')
  return Number(m[1])
}

/** CPU use over a window as a percentage of one core: ticks spent / ticks the window lasted. */
export function cpuPercent (ticks, ticksPerSecond, seconds) {
  if (seconds <= 0) return 0
  return (100 * ticks) / (ticksPerSecond * seconds)
}
