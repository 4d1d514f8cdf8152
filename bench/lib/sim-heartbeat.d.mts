// Types for sim-heartbeat.mjs, so TypeScript tests can import it.

/** The first moment at or after `at` on node `index` of `count`'s send grid for `intervalMs`. */
export function nextBeat(at: number, index: number, count: number, intervalMs: number): number;
