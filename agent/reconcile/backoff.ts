/** How long to wait before restarting a container that keeps crashing. */

/** First delay after a repeated crash (the first crash restarts at once). */
export const BACKOFF_BASE_MS = 1_000;
/** The longest wait between two restarts. */
export const BACKOFF_CAP_MS = 5 * 60_000;
/** A container that ran this long before it stopped is not crash-looping: its count starts again. */
export const STABLE_RUN_MS = 10 * 60_000;

/** Delay before the next restart after `restarts` earlier restarts: 0, 1 s, 2 s, 4 s... capped at 5 min. */
export function restartDelay(restarts: number): number {
  if (restarts <= 0) return 0;
  // 2^n overflows to Infinity for large n, which Math.min turns back into the cap.
  return Math.min(BACKOFF_BASE_MS * 2 ** (restarts - 1), BACKOFF_CAP_MS);
}

/** When a stopped container may be restarted (ms since epoch). */
export function restartAt(c: { restartCount: number; startedAt?: number; finishedAt?: number }): number {
  if (c.finishedAt === undefined) return 0;
  const ranStably = c.startedAt !== undefined && c.finishedAt - c.startedAt >= STABLE_RUN_MS;
  return c.finishedAt + restartDelay(ranStably ? 0 : c.restartCount);
}
