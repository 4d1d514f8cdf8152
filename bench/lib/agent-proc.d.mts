// Types for agent-proc.mjs, so TypeScript tests can import it.

export function cpuTicks(statText: string): number;
export function rssKib(statusText: string): number;
export function anonKib(smapsRollupText: string): number;
export function cpuPercent(ticks: number, ticksPerSecond: number, seconds: number): number;
