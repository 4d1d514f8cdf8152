// Types for report.mjs, so TypeScript tests can import it.

export interface Phase {
  ms: number;
  rssKb: number;
}
export interface Run {
  size: number;
  muster: { cold: Phase; warm: Phase };
  ansible: { cold: Phase; warm: Phase };
}
export interface Row {
  size: number;
  phase: 'cold' | 'warm';
  runs: number;
  /** median wall times, ms */
  muster: number;
  ansible: number;
  /** ansible / muster */
  ratio: number;
  /** highest muster peak RSS over the runs, KiB */
  rssKb: number;
}

export const TARGETS: { hosts: number; warmRatio: number; coldRatio: number; rssBytes: number };
export function median(xs: number[]): number;
export function summarize(runs: Run[]): Row[];
export function formatTable(rows: Row[]): string;
export function formatTargets(rows: Row[], targets?: typeof TARGETS): string;
