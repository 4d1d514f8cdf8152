/**
 * The CLI's HTTPS client of the manager's API: the manager's certificate verified against the fleet CA (and
 * its name against the host dialled), the token as a bearer header, JSON in and out, and the event stream.
 * Every failure becomes one MusterError that says what went wrong and what to do (client/errors.ts); the
 * token is never part of a message.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { type RequestOptions, request } from 'node:https';
import { isIP } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { ManagerConnection } from './client/connection.js';
import { answerError, transportError } from './client/errors.js';
import { SseReader } from './client/sse.js';
import type { ManagerEvent } from './view.js';

/** Answers bigger than this are refused (a large fleet's ps is a few megabytes). */
const MAX_BODY = 32 << 20;

/** An open event stream. */
export interface EventStream {
  /** the id of the last event seen */
  lastId(): number;
  /** resolves when the stream ends (closed here, or by the manager) */
  ended: Promise<void>;
  close(): void;
}

/** Talks to one manager. */
export class ManagerClient {
  constructor(
    readonly conn: ManagerConnection,
    private readonly timeoutMs = 10_000,
  ) {}

  /** GET a JSON answer. */
  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  /** POST a JSON body; the answer (202 `{message, version?}` for actions). */
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  /** DELETE; the answer. */
  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** One request; resolves with the parsed answer of a 2xx, rejects with a MusterError otherwise. */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) });
    return new Promise<T>((resolve, reject) => {
      const { req, settle } = this.open(method, path, headers, reject, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY) chunks.push(c);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (size > MAX_BODY) return settle(() => reject(answerError(502, '', this.conn.url, this.conn.tokenFrom)));
          if (status >= 400) return settle(() => reject(answerError(status, text, this.conn.url, this.conn.tokenFrom)));
          try {
            const parsed = (text ? JSON.parse(text) : {}) as T;
            settle(() => resolve(parsed));
          } catch {
            settle(() => reject(answerError(502, '{"error":{"message":"an answer that is not JSON"}}', this.conn.url, this.conn.tokenFrom)));
          }
        });
      });
      req.end(payload);
    });
  }

  /**
   * Opens GET /v1/events (after event `since`, or from the next new one) and calls `onEvent` for each event;
   * resolves once the manager has answered (so nothing that happens after is missed).
   */
  events(onEvent: (e: ManagerEvent) => void, since?: number): Promise<EventStream> {
    const path = since === undefined ? '/v1/events' : `/v1/events?since=${since}`;
    return new Promise<EventStream>((resolve, reject) => {
      let last = since ?? 0;
      let endStream!: () => void;
      const ended = new Promise<void>((r) => {
        endStream = r;
      });
      const { req, settle } = this.open(
        'GET',
        path,
        { accept: 'text/event-stream' },
        reject,
        (res) => {
          if ((res.statusCode ?? 0) >= 400) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              settle(() => reject(answerError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), this.conn.url, this.conn.tokenFrom))),
            );
            return;
          }
          const reader = new SseReader();
          const text = new StringDecoder('utf8');
          res.on('data', (c: Buffer) => {
            for (const e of reader.push(text.write(c))) {
              try {
                const event = JSON.parse(e.data) as ManagerEvent;
                if (typeof event.id === 'number') last = Math.max(last, event.id);
                onEvent(event);
              } catch {
                // a frame that is not an event (a future field): skipped
              }
            }
          });
          res.on('close', endStream);
          res.on('end', endStream);
          res.on('error', endStream);
          settle(() =>
            resolve({
              lastId: () => last,
              ended,
              close: () => {
                req.destroy();
                endStream();
              },
            }),
          );
        },
        true,
      );
      req.end();
    });
  }

  // One request with the TLS, token and timeout every call shares; `settle` runs once and stops the timer.
  private open(
    method: string,
    path: string,
    headers: Record<string, string>,
    reject: (e: unknown) => void,
    onResponse: (res: IncomingMessage) => void,
    streaming = false,
  ): { req: ClientRequest; settle: (f: () => void) => void } {
    const c = this.conn;
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const options: RequestOptions = {
      host: c.host,
      port: c.port,
      path,
      method,
      ca: c.ca,
      servername: isIP(c.host) ? undefined : c.host,
      headers: { ...headers, authorization: `Bearer ${c.token}` },
      agent: false,
    };
    const req = request(options, (res) => {
      if (streaming) clearTimeout(timer);
      onResponse(res);
    });
    const fail = (code: string | undefined, message: string) => settle(() => reject(transportError(code, message, c.url, this.timeoutMs / 1000, c.caFile)));
    const timer = setTimeout(() => {
      fail('ETIMEOUT', 'timed out');
      req.destroy();
    }, this.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => fail(e.code, e.message));
    return { req, settle };
  }
}

/** Pure: `/v1/...` with each name percent-encoded. */
export const apiPath = (...parts: string[]): string => `/v1/${parts.map(encodeURIComponent).join('/')}`;
