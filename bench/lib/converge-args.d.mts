// Types for converge-args.mjs, so TypeScript tests can import it.

export interface ConvergeOptions {
  /** containers each way starts */
  replicas: number;
  /** runs of each way; the table shows the median */
  rounds: number;
  /** print JSON instead of the table */
  json: boolean;
  /** run `npm run build` first */
  build: boolean;
  help: boolean;
}

export const convergeUsage: string;
export function parseConvergeArgs(argv: string[]): ConvergeOptions;
