/**
 * A small client of the Docker Engine API over any byte stream: each request dials a fresh stream (an SSH
 * forward to the manager's /var/run/docker.sock) and speaks HTTP/1.1 on it. JSON in, JSON out; an error
 * answer becomes a MusterError naming the request and the daemon's message.
 */
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { MusterError } from '../../../shared/errors.js';

/** The API version muster speaks: Docker 20.10 and later (capabilities and pids limits in service specs). */
export const API_VERSION = 'v1.41';

/** Opens one stream to the daemon. */
export type Dial = () => Promise<Duplex>;

/** What the Docker API answered. */
export interface Answer {
  status: number;
  body: unknown;
}

/** The calls the swarm engine makes; tests give a fake. */
export interface DockerApi {
  /** `method` `/v1.41{path}`; throws a MusterError on a 4xx/5xx answer unless `allow` lists the status */
  call(method: string, path: string, body?: unknown, allow?: number[]): Promise<Answer>;
}

/** `?filters=` for a list call: `{ label: ['a=b'] }`. */
export const filters = (f: Record<string, string[]>): string => `filters=${encodeURIComponent(JSON.stringify(f))}`;

/** A DockerApi that dials `dial` for each request; `where` names the daemon in errors (`docker on h01`). */
export function dockerApi(dial: Dial, where: string, timeoutMs = 60_000): DockerApi {
  return {
    call: (method, path, body, allow = []) =>
      new Promise<Answer>((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(
          {
            method,
            path: `/${API_VERSION}${path}`,
            headers: { Host: 'docker', 'Content-Type': 'application/json', Connection: 'close', ...(payload ? { 'Content-Length': payload.length } : {}) },
            timeout: timeoutMs,
            // the stream is opened when the request needs it; node waits for the callback
            createConnection: ((_: unknown, done: (err: Error | null, s?: Duplex) => void) => {
              dial().then(
                (s) => done(null, s),
                (err: Error) => done(err),
              );
              return undefined;
            }) as never,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              let parsed: unknown = text;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                // a plain-text answer stays text
              }
              const status = res.statusCode ?? 0;
              if (status >= 400 && !allow.includes(status)) {
                const message = (parsed as { message?: string } | undefined)?.message ?? text.trim();
                reject(new MusterError('E_INTERNAL', `${where}: ${method} ${path}: ${status} ${message}`, { hint: hintFor(status, message) }));
              } else resolve({ status, body: parsed });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
        req.on('error', (err) =>
          reject(err instanceof MusterError ? err : new MusterError('E_UNREACHABLE', `${where}: ${method} ${path}: ${err.message}`, { cause: err })),
        );
        req.end(payload);
      }),
  };
}

function hintFor(status: number, message: string): string | undefined {
  if (/not a swarm manager|This node is not a swarm manager/i.test(message)) return 'form the swarm first: muster play -i INVENTORY swarm';
  if (status === 503 && /swarm/i.test(message)) return 'the swarm has no quorum or this node left it: check `docker node ls` on a manager';
  return undefined;
}
