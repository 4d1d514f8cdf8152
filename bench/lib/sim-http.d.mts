// Types for sim-http.mjs, so TypeScript tests can import its pure parts.
import type { KeptReport, SimNodeState } from './sim-report.mjs';

export function routeOf(path: string): { route: string; methods: string[] } | undefined;

/** What reportNow reads and counts of the fleet. */
export interface SimReportClock {
  startDelayMs: number;
  reportIntervalMs: number;
  now(): number;
  stats: { collected: number };
}
/** The report a GET /v1/report of the node would serve now (kept, or collected now and kept). */
export function reportNow(sim: SimReportClock, node: SimNodeState & { refreshBase: number; kept: KeptReport | null }): KeptReport;
