// Types for args.mjs, so TypeScript tests can import it.

export interface BenchOptions {
  /** host counts, ascending, without repeats */
  sizes: number[];
  /** fresh-lab repetitions per size; the table shows medians */
  runs: number;
  /** run `npm run build` first */
  build: boolean;
  help: boolean;
}

export const usage: string;
export class UsageError extends Error {}
export function parseArgs(argv: string[]): BenchOptions;
export function positive(name: string, text: string | undefined): number;
export function nonEmpty(name: string, text: string | undefined): string;
