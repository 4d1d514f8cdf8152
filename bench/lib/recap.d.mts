// Types for recap.mjs, so TypeScript tests can import it.

export type HostCounts = Record<string, number>;

export function parseRecap(output: string): Record<string, HostCounts>;
export function recapProblems(run: { exitCode: number | null; output: string; hosts: string[]; warm: boolean }): string[];
