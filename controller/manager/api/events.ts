/**
 * GET /v1/events: the manager's events as Server-Sent Events (`id:` the event id, `event:` its type, `data:`
 * the event as JSON), resumed after Last-Event-ID or `?since=N`, with a comment every heartbeat so that
 * proxies and browsers keep the stream open; or, with `format=json`, a page of them for polling clients.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventFeed, ManagerEvent } from '../view.js';
import { isProblem, queryProblem, wholeNumber } from './checks.js';
import { fail, send } from './errors.js';

/** Seconds between heartbeat comments. */
export const HEARTBEAT_MS = 15_000;
/** A client this far behind (bytes not yet sent) is dropped: it reconnects and resumes from its last id. */
export const MAX_BACKLOG_BYTES = 1024 * 1024;
/** Streams open at once, at most. */
export const MAX_STREAMS = 200;

const MAX_ID = Number.MAX_SAFE_INTEGER;

/** Pure: one event as an SSE frame. */
export function sseFrame(e: ManagerEvent): string {
  // JSON.stringify escapes newlines, so the data is one line; the type comes from a fixed list.
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

/** What the events route needs. */
export interface EventRouteOptions {
  feed: EventFeed;
  heartbeatMs?: number;
}

/** Registers GET /v1/events; returns a function that ends every open stream (for closing the app). */
export function registerEventRoutes(app: FastifyInstance, opts: EventRouteOptions): () => void {
  const open = new Set<() => void>();
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;

  app.get('/v1/events', { exposeHeadRoute: false }, async (req: FastifyRequest, reply: FastifyReply) => {
    const query = req.query as Record<string, unknown>;
    const bad = queryProblem(query, ['format', 'since']);
    if (bad) return send(reply, bad);
    const format = query.format ?? 'sse';
    if (format !== 'sse' && format !== 'json') return send(reply, fail(400, 'E_QUERY', 'format wants sse or json', { field: 'format' }));
    const since = wholeNumber(query.since, 'since', 0, MAX_ID, -1);
    if (isProblem(since)) return send(reply, since);
    if (format === 'json') return { events: opts.feed.since(Math.max(0, since)) };

    const header = req.headers['last-event-id'];
    const last = wholeNumber(typeof header === 'string' && header !== '' ? header : undefined, 'Last-Event-ID', 0, MAX_ID, since);
    if (isProblem(last)) return send(reply, last);
    if (open.size >= MAX_STREAMS) {
      return send(
        reply,
        fail(503, 'E_BUSY', `the manager serves ${MAX_STREAMS} event streams already`, { hint: 'close a dashboard tab, or poll /v1/events?format=json' }),
      );
    }
    stream(reply, last);
  });

  function stream(reply: FastifyReply, after: number): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    let lastSent = after;
    let ended = false;
    const write = (text: string): void => {
      if (ended) return;
      res.write(text);
      if (res.writableLength > MAX_BACKLOG_BYTES) end();
    };
    // Subscribe and read the backlog in one turn of the loop: no event can fall between them.
    const unsubscribe = opts.feed.subscribe((e) => {
      if (e.id <= lastSent) return;
      lastSent = e.id;
      write(sseFrame(e));
    });
    write('retry: 3000\n\n');
    if (after >= 0) {
      for (const e of opts.feed.since(after)) {
        if (e.id <= lastSent) continue;
        lastSent = e.id;
        write(sseFrame(e));
      }
    }
    const beat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
    function end(): void {
      if (ended) return;
      ended = true;
      clearInterval(beat);
      unsubscribe();
      open.delete(end);
      res.end();
    }
    open.add(end);
    res.on('close', end);
    res.on('error', end);
  }

  return () => {
    for (const end of [...open]) end();
  };
}
