// Types for sched-table.mjs, so TypeScript tests can import it.
import type { PlacementFigures } from './sched-figures.mjs';

export const SCHED_TARGETS: { perSecond: number; overcommitted: number; unenforcedLimited: number };
export const ROWS: [string, keyof PlacementFigures, (x: number) => string, [string, (x: number) => boolean]?][];
export function ratio(a: number, b: number): string;
export function formatSchedTable(muster: PlacementFigures | null, swarm: PlacementFigures): string;
export function targetsMet(muster: PlacementFigures | null): boolean;
export function schedJson(args: { machine: Record<string, string>; input: object; muster: PlacementFigures | null; swarm: PlacementFigures }): {
  machine: Record<string, string>;
  input: object;
  muster: PlacementFigures | null;
  swarm: PlacementFigures;
  ratios: Record<string, number | null>;
  targets: Record<string, { target: string; met: boolean | null }>;
};
