// Types for sched-random.mjs, so TypeScript tests can import it.

export function seeded(seed: number): () => number;
export function between(rand: () => number, lo: number, hi: number): number;
export function pick<T>(rand: () => number, weighted: [number, T][]): T;
export function shuffled<T>(rand: () => number, items: T[]): T[];
