// Types for sched-figures.mjs, so TypeScript tests can import it.
import type { NodeView } from '../../controller/scheduler/types.js';
import type { Stack } from '../../controller/stack/types.js';

/** The figures of one placement. */
export interface PlacementFigures {
  /** the median time of the runs */
  seconds: number;
  /** the first run's time: what a one-shot `muster deploy` pays, before the JIT has warmed up */
  coldSeconds?: number;
  /** the fastest run: nearest to what the rule costs on a quiet machine */
  bestSeconds?: number;
  /** the median CPU time of the runs (user + system of this process) */
  cpuSeconds?: number;
  perSecond: number;
  placed: number;
  unplaced: number;
  overcommitted: number;
  unenforcedLimited: number;
  utilMean: number;
  utilStdev: number;
  utilMax: number;
}

export function median(xs: number[]): number;
export function schedulable(nodes: NodeView[]): NodeView[];
export function placementFigures(args: {
  nodes: NodeView[];
  stacks: Stack[];
  placements: { stack: string; service: string; node: string }[];
  unplaced: number;
  seconds: number;
  coldSeconds?: number;
  bestSeconds?: number;
  cpuSeconds?: number;
}): PlacementFigures;
