// Types for manager-args.mjs, so TypeScript tests can import it.

export interface ManagerBenchOptions {
  /** simulated agents */
  nodes: number;
  /** replicas deployed over a few stacks */
  replicas: number;
  /** nodes killed at once after the steady window */
  kill: number;
  /** the steady window, in seconds */
  seconds: number;
  /** how long the deploy may take to converge, in minutes */
  convergeMinutes: number;
  json: boolean;
  build: boolean;
  help: boolean;
}

export interface FailoverBenchOptions {
  /** hosts killed one after another */
  rounds: number;
  json: boolean;
  build: boolean;
  help: boolean;
}

export const managerUsage: string;
export const failoverUsage: string;
export function parseManagerArgs(argv: string[]): ManagerBenchOptions;
export function parseFailoverArgs(argv: string[]): FailoverBenchOptions;
