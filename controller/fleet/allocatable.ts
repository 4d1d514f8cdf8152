/** The memory muster may hand to containers on a node, as `muster nodes`, the scheduler and node labels count it. Pure. */

/** Memory kept back for the system when no variable or flag says otherwise. */
export const DEFAULT_RESERVE_BYTES = 256 * 1024 * 1024;

/**
 * Memory the scheduler may give to containers: the total less what the agent measured for dockerd,
 * containerd, k3s and itself, less the reserve; never below zero. Null when the total is unknown.
 */
export function allocatableBytes(totalBytes: number | null, baselineBytes: number, reserveBytes: number): number | null {
  if (totalBytes === null) return null;
  return Math.max(0, totalBytes - baselineBytes - reserveBytes);
}
