/**
 * A subscription to Docker's event stream for one label, held open while it lasts and made again on demand.
 * It tells which containers changed (through events.ts) and when the stream was lost; the adapter decides
 * what that means for the answers it keeps.
 */
import type Docker from 'dockerode';
import { changedContainer, splitEvents } from './events.js';

/** An event stream line longer than this is dropped (Docker's are well under 1 KiB). */
const MAX_EVENT_BYTES = 1 << 20;

type Stream = NodeJS.ReadableStream & { destroy(): void };

export interface EventWatch {
  /** subscribes unless subscribed; true while the stream is open, false when it cannot be had */
  ensure(): Promise<boolean>;
  /** ends the stream; ensure() answers false from then on */
  close(): void;
}

export interface WatchDeps {
  /** a client without a request timeout: the stream is one long, mostly quiet response */
  client: Docker;
  label: string;
  /** container `id` may have changed */
  onChange: (id: string) => void;
  /** the stream ended: changes may go unseen until the next ensure() */
  onLost: () => void;
}

export function eventWatch(deps: WatchDeps): EventWatch {
  let open: Stream | undefined;
  let subscribing: Promise<boolean> | undefined;
  let closed = false;

  async function subscribe(): Promise<boolean> {
    let stream: Stream;
    try {
      stream = (await deps.client.getEvents({ filters: { type: ['container'], label: [deps.label] } })) as Stream;
    } catch {
      return false;
    }
    if (closed) {
      stream.destroy();
      return false;
    }
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const { events, rest } = splitEvents(pending + chunk);
      pending = rest.length > MAX_EVENT_BYTES ? '' : rest;
      for (const e of events) {
        const id = changedContainer(e);
        if (id !== undefined) deps.onChange(id);
      }
    });
    const lost = (): void => {
      if (open !== stream) return;
      open = undefined;
      deps.onLost();
    };
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', lost);
    open = stream;
    return true;
  }

  return {
    ensure() {
      if (closed) return Promise.resolve(false);
      if (open) return Promise.resolve(true);
      subscribing ??= subscribe().finally(() => {
        subscribing = undefined;
      });
      return subscribing;
    },
    close() {
      closed = true;
      open?.destroy();
      open = undefined;
    },
  };
}

/** A call of `fn` that many triggers share: the first trigger schedules it `delayMs` later, later ones join it. */
export function burst(fn: () => void, delayMs: number): { trigger(): void; cancel(): void } {
  let due: NodeJS.Timeout | undefined;
  return {
    trigger() {
      if (due) return;
      due = setTimeout(() => {
        due = undefined;
        fn();
      }, delayMs);
      due.unref();
    },
    cancel() {
      clearTimeout(due);
      due = undefined;
    },
  };
}
