// Types for sched-args.mjs, so TypeScript tests can import it.

export interface SchedBenchOptions {
  /** the generator's seed */
  seed: number;
  nodes: number;
  replicas: number;
  /** runs of each scheduler on the input; the table shows the median time */
  runs: number;
  /** untimed runs of each scheduler before the timed ones (the first of all is the cold-JIT figure) */
  warmup: number;
  /** print JSON instead of the table */
  json: boolean;
  /** run `npm run build` first */
  build: boolean;
  help: boolean;
}

export const schedUsage: string;
export function parseSchedArgs(argv: string[]): SchedBenchOptions;
