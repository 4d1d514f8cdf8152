// Types for measure.mjs, so TypeScript tests can import it.

export interface Measured {
  /** wall time from spawn to exit */
  ms: number;
  /** peak resident set size, KiB */
  rssKb: number;
  /** 128 + signal number when killed */
  exitCode: number | null;
  /** stdout and stderr, interleaved as they came */
  output: string;
}

export const rssMethod: string;
export function measure(argv: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<Measured>;
export function timedRun(argv: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; seconds: number }>;
