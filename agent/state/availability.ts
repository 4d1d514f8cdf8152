/**
 * The node's availability (active, pause, drain; POST /v1/availability or the older POST /v1/drain): kept on
 * disk so that a drained node stays drained after a reboot.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneAtATime, writeFileAtomic } from '../../shared/atomic.js';
import type { Availability } from '../../shared/wire.js';

/** The file name in the state directory. */
export const AVAILABILITY_FILE = 'availability.json';

/** The three availabilities, in the order `muster node update` names them. */
export const AVAILABILITIES: readonly Availability[] = ['active', 'pause', 'drain'];

/** The node's availability, readable at once, saved before it changes. */
export interface AvailabilityStore {
  get(): Availability;
  set(next: Availability): Promise<void>;
}

/** The old drain flag -> an availability: false drains, true makes the node active again. */
export const fromAvailableFlag = (available: boolean): Availability => (available ? 'active' : 'drain');

/**
 * A saved document -> the availability it says: `{availability}` (this agent), or `{available: false}` (agents
 * before pause existed) -> drain. Anything else, or an unknown word, is active: a node is never kept out
 * of work by a file nobody can read.
 */
export function availabilityOf(doc: unknown): Availability {
  if (doc === null || typeof doc !== 'object') return 'active';
  const d = doc as { availability?: unknown; available?: unknown };
  if (typeof d.availability === 'string' && (AVAILABILITIES as readonly string[]).includes(d.availability)) return d.availability as Availability;
  return d.available === false ? 'drain' : 'active';
}

/** Reads the saved availability; a node with no (or an unreadable) file is active. */
export async function loadAvailability(dir: string): Promise<Availability> {
  try {
    return availabilityOf(JSON.parse(await readFile(join(dir, AVAILABILITY_FILE), 'utf8')));
  } catch {
    return 'active';
  }
}

/**
 * An availability store over `dir`, starting at `initial`. The file keeps `available` beside `availability`,
 * so an older agent started on the same state directory still reads drain as drain (and pause as not available).
 */
export function availabilityStore(dir: string, initial: Availability): AvailabilityStore {
  let current = initial;
  const serial = oneAtATime();
  return {
    get: () => current,
    set: (next) =>
      serial(async () => {
        await writeFileAtomic(dir, AVAILABILITY_FILE, `${JSON.stringify({ availability: next, available: next === 'active' })}\n`);
        current = next;
      }),
  };
}
