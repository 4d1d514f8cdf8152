/** Timestamps and durations printed the way Ansible's command results show them. */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall-clock time as `YYYY-MM-DD HH:MM:SS.ffffff` (Python's str(datetime)). */
export function formatStamp(ms: number): string {
  const d = new Date(Math.floor(ms));
  const micros = Math.floor((ms - Math.floor(ms / 1000) * 1000) * 1000);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`;
}

/** A duration as `H:MM:SS.ffffff` (Python's str(timedelta); the fraction is left out when it is zero). */
export function formatDelta(ms: number): string {
  const micros = Math.max(0, Math.round(ms * 1000));
  const secs = Math.floor(micros / 1e6);
  const frac = micros % 1e6;
  const hms = `${Math.floor(secs / 3600)}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  return frac === 0 ? hms : `${hms}.${pad(frac, 6)}`;
}
