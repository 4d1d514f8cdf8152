/** The manager's recent events: numbered in order, the last `cap` kept, streamed to subscribers. */
import type { EventFeed, ManagerEvent } from './view.js';

/** An event before it is numbered. */
export type NewEvent = ManagerEvent extends infer E ? (E extends ManagerEvent ? Omit<E, 'id' | 'at'> : never) : never;

/** A bounded, numbered event log. */
export class EventLog implements EventFeed {
  private readonly buffer: ManagerEvent[] = [];
  private readonly listeners = new Set<(e: ManagerEvent) => void>();
  private next = 1;

  constructor(private readonly cap = 1000) {}

  /** Numbers and keeps `e`, and tells every subscriber. */
  emit(e: NewEvent, now: number): ManagerEvent {
    const event = { ...e, id: this.next++, at: new Date(now).toISOString() } as ManagerEvent;
    this.buffer.push(event);
    if (this.buffer.length > this.cap) this.buffer.splice(0, this.buffer.length - this.cap);
    for (const l of this.listeners) l(event);
    return event;
  }

  since(sinceId: number): ManagerEvent[] {
    return this.buffer.filter((e) => e.id > sinceId);
  }

  subscribe(listener: (e: ManagerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many events were ever emitted. */
  get count(): number {
    return this.next - 1;
  }
}
