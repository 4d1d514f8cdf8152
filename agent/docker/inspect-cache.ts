/**
 * Inspect answers kept between observations while Docker's event stream says the container did not change.
 * Without it every observation inspected every managed container, twice per interval (the reconciler and the
 * reporter): with 20 containers, 40 requests and their JSON every 10 s for nothing. An answer is used again
 * only while the stream is open and no event touched the container, the list still shows it in the same
 * state, and it is younger than `maxAgeMs` (a safety net for an event that never came).
 */
import type { ObservedContainer } from '../types.js';

export class InspectCache {
  private readonly entries = new Map<string, { container: ObservedContainer; at: number }>();
  private changes = 0;

  constructor(private readonly maxAgeMs: number) {}

  /** An event touched container `id`; without an id, everything is unknown again (the stream was lost). */
  invalidate(id?: string): void {
    this.changes++;
    if (id === undefined) this.entries.clear();
    else this.entries.delete(id);
  }

  /** Taken before listing and inspecting, handed back to store(). */
  epoch(): number {
    return this.changes;
  }

  /** The kept answer for a container the list shows in `state`, when it can be trusted. */
  get(id: string, state: string, now: number): ObservedContainer | undefined {
    const e = this.entries.get(id);
    if (!e || e.container.state !== state || now - e.at > this.maxAgeMs) return undefined;
    return e.container;
  }

  /**
   * Keeps the answers inspected since `epoch`, unless an event came in the meantime (the answer may predate
   * the change it announced), and forgets the containers the list no longer shows.
   */
  store(epoch: number, inspected: ObservedContainer[], listed: ReadonlySet<string>, now: number): void {
    for (const id of this.entries.keys()) if (!listed.has(id)) this.entries.delete(id);
    if (epoch !== this.changes) return;
    for (const c of inspected) this.entries.set(c.id, { container: c, at: now });
  }

  get size(): number {
    return this.entries.size;
  }
}
