/** Whether the node takes new work (POST /v1/drain): kept on disk so that a drained node stays drained after a reboot. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneAtATime, writeFileAtomic } from '../../shared/atomic.js';

/** The file name in the state directory. */
export const AVAILABILITY_FILE = 'availability.json';

/** The node's availability, readable at once, saved before it changes. */
export interface Availability {
  get(): boolean;
  set(available: boolean): Promise<void>;
}

/** Reads the saved availability; a node with no (or an unreadable) file is available. */
export async function loadAvailability(dir: string): Promise<boolean> {
  try {
    const doc = JSON.parse(await readFile(join(dir, AVAILABILITY_FILE), 'utf8')) as { available?: unknown };
    return doc.available !== false;
  } catch {
    return true;
  }
}

/** An availability over `dir`, starting at `initial`. */
export function availabilityStore(dir: string, initial: boolean): Availability {
  let available = initial;
  const serial = oneAtATime();
  return {
    get: () => available,
    set: (next) =>
      serial(async () => {
        await writeFileAtomic(dir, AVAILABILITY_FILE, `${JSON.stringify({ available: next })}\n`);
        available = next;
      }),
  };
}
