// Types for manager-figures.mjs, so TypeScript tests can import it.

export const RSS_TARGET_BYTES: number;
export const TICK_TARGET_S: number;

export interface Summary {
  median: number;
  max: number;
  n: number;
}

export interface ManagerFigures {
  nodes: number;
  replicas: number;
  convergeS: number | null;
  /** the steady window, in seconds */
  seconds: number;
  tick: Summary | null;
  rss: Summary | null;
  cpuPercent: number | null;
  /** muster_ticks_total and muster_changes_total over the window (a tick is skipped while a change runs) */
  windowTicks?: number | null;
  heartbeatsPerS?: number | null;
  windowChanges?: number | null;
  /** nodes seen going down before any was killed */
  falseDowns?: number | null;
  kill: number;
  downS: number | null;
  replacedS: number | null;
  [more: string]: unknown;
}

export function median(xs: number[]): number;
export function summary(xs: number[]): Summary | null;
export function promValue(text: string, name: string): number | undefined;
export function promLabelled(text: string, name: string, label: string, value: string): number | undefined;
export function vmRssBytes(status: string): number | undefined;
export function promNodeStates(text: string): [string, 'up' | 'down'][];
export function downWatch(): { count: number; see(states: [string, string][]): void };
export function cpuTicks(stat: string): number;
export function cpuPercent(ticks: number, hz: number, seconds: number): number;
export function managerRows(f: ManagerFigures): [string, string, string, string][];
export function allPass(rows: string[][]): boolean;
export function formatTable(head: string[], rows: string[][], align?: string): string;
export function formatManagerTable(f: ManagerFigures): string;
export function managerJson(o: { machine: Record<string, string>; figures: ManagerFigures }): Record<string, unknown> & {
  targets: { tickMaxSeconds: { below: number; met: boolean }; rssMaxBytes: { below: number; met: boolean } };
};
