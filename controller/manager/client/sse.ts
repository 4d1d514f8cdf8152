/**
 * A reader of Server-Sent Events as the manager streams them (`id:`, `event:`, `data:` lines, a blank line
 * ending each event, `:` comments for heartbeats): chunks in, whole events out. Pure.
 */

/** One event off the stream: its id (when sent), type and data. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Cuts a text stream into events; a partial line waits for the next chunk. */
export class SseReader {
  private rest = '';
  private id: string | undefined;
  private event = '';
  private data: string[] = [];

  /** The events completed by `chunk`. */
  push(chunk: string): SseEvent[] {
    const text = this.rest + chunk;
    const lines = text.split(/\r\n|\r|\n/);
    this.rest = lines.pop() ?? '';
    const out: SseEvent[] = [];
    for (const line of lines) {
      if (line === '') {
        if (this.data.length) out.push({ ...(this.id !== undefined ? { id: this.id } : {}), event: this.event || 'message', data: this.data.join('\n') });
        this.id = undefined;
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id') this.id = value;
    }
    return out;
  }
}
