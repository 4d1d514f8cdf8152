// Types for agent-table.mjs, so TypeScript tests can import it.

export interface Figures {
  /** VmRSS at the end of the steady window, KiB */
  rssKib: number;
  /** anonymous (private) resident memory at the same moment, KiB */
  anonKib: number;
  /** VmRSS right after the load, KiB */
  loadRssKib: number;
  p50Ms: number;
  p99Ms: number;
  /** utime + stime over the steady window, % of one core */
  cpuPercent: number;
}

export const AGENT_TARGETS: { rssBytes: number; p50Ms: number; cpuPercent: number };
export function percentile(xs: number[], p: number): number;
export function formatAgentTable(agent: Figures, anchor: Figures | null, names?: { agent: string; anchor: string }): string;
export function formatAgentTargets(agent: Figures, targets?: typeof AGENT_TARGETS): string;
