// Types for sim-args.mjs, so TypeScript tests can import it.

export interface SimServeOptions {
  nodes: number;
  dir: string | undefined;
  seed: number;
  startDelayMs: number;
  basePort: number | undefined;
  images: string[];
  help: boolean;
}

export interface SimMeasureOptions {
  nodes: number;
  seconds: number;
  concurrency: number;
  replicasPerNode: number;
  json: boolean;
  help: boolean;
}

export const serveUsage: string;
export const measureUsage: string;
export function parseServeArgs(argv: string[]): SimServeOptions;
export function parseMeasureArgs(argv: string[]): SimMeasureOptions;
