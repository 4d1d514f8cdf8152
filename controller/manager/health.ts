/**
 * Whether a node is up, from its answers: up as soon as it answers; down once it has not answered for
 * `downAfterMs` (a node never seen since the manager started counts from the start). Pure: the time is an
 * argument. Polled every second with a one-second timeout, a node that stops is down within 3 to 5 s.
 */

/** What the manager knows of one node's answers. */
export interface Health {
  state: 'up' | 'down' | 'unknown';
  /** ms since the epoch of the last change of state (of the start, while unknown) */
  since: number;
  lastSeen?: number;
  /** why its last poll failed */
  lastError?: string;
}

/** Down after this long without an answer. */
export const DOWN_AFTER_MS = 3000;

/** A node not asked yet. */
export const unknownHealth = (now: number): Health => ({ state: 'unknown', since: now });

/** Pure: the health after one poll, and the change it makes (`up` only for a node that was down). */
export function observe(h: Health, answered: boolean, now: number, error?: string, downAfterMs = DOWN_AFTER_MS): { next: Health; change?: 'up' | 'down' } {
  if (answered) {
    if (h.state === 'up') return { next: { ...h, lastSeen: now, lastError: undefined } };
    return { next: { state: 'up', since: now, lastSeen: now }, ...(h.state === 'down' ? { change: 'up' as const } : {}) };
  }
  const quiet = now - (h.lastSeen ?? h.since);
  if (h.state !== 'down' && quiet >= downAfterMs) return { next: { ...h, state: 'down', since: now, lastError: error }, change: 'down' };
  return { next: { ...h, lastError: error } };
}
