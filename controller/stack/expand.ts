/** The replicas a stack wants: slots 1..replicas of each replicated service (global ones are placed per node). */
import type { Stack } from './types.js';

/** One wanted replica of a replicated service. */
export interface Slot {
  stack: string;
  service: string;
  slot: number;
}

/** The wanted slots of the replicated services, in service order then slot order. */
export function replicatedSlots(stack: Stack): Slot[] {
  const out: Slot[] = [];
  for (const s of stack.services) {
    if (s.deploy.mode !== 'replicated') continue;
    for (let slot = 1; slot <= s.deploy.replicas; slot++) out.push({ stack: stack.name, service: s.name, slot });
  }
  return out;
}
