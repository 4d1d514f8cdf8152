/**
 * Whether a node is up, from its answers: up as soon as it answers; down once it has not answered for
 * `downAfterMs` (a node never seen since the manager started counts from the start) and missed MISSES polls
 * in a row, so that one poll lost to a busy manager never takes a node down. Pure: the time of each answer is
 * an argument. Polled every second with a one-second timeout, a node that stops is down within 3 to 5 s.
 */

/** What the manager knows of one node's answers. */
export interface Health {
  state: 'up' | 'down' | 'unknown';
  /** ms since the epoch of the last change of state (of the start, while unknown) */
  since: number;
  lastSeen?: number;
  /** why its last poll failed */
  lastError?: string;
  /** polls missed in a row */
  missed?: number;
}

/** Polls a node must miss in a row before it can be down. */
export const MISSES = 2;

/** Down after this long without an answer. */
export const DOWN_AFTER_MS = 3000;

/** A node not asked yet. */
export const unknownHealth = (now: number): Health => ({ state: 'unknown', since: now });

/** Pure: the health after one poll, and the change it makes (`up` only for a node that was down). */
export function observe(h: Health, answered: boolean, now: number, error?: string, downAfterMs = DOWN_AFTER_MS): { next: Health; change?: 'up' | 'down' } {
  if (answered) {
    if (h.state === 'up') return { next: { state: 'up', since: h.since, lastSeen: now } };
    return { next: { state: 'up', since: now, lastSeen: now }, ...(h.state === 'down' ? { change: 'up' as const } : {}) };
  }
  const missed = (h.missed ?? 0) + 1;
  const quiet = now - (h.lastSeen ?? h.since);
  if (h.state !== 'down' && quiet >= downAfterMs && missed >= MISSES)
    return { next: { ...h, state: 'down', since: now, lastError: error, missed }, change: 'down' };
  return { next: { ...h, lastError: error, missed } };
}
