/**
 * A small client of the Docker Engine API over any byte stream: requests speak HTTP/1.1 on streams `dial`
 * opens (SSH forwards to the manager's /var/run/docker.sock), kept open between requests so that polling
 * does not open an SSH channel each time. JSON in, JSON out; an error answer becomes a MusterError naming
 * the request and the daemon's message.
 */
import { Agent, request } from 'node:http';
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
  // streams are opened when a request needs one and none is free; node waits for the callback
  const agent = new Agent({ keepAlive: true });
  agent.createConnection = ((_: unknown, done: (err: Error | null, s?: Duplex) => void) => {
    dial().then(
      (s) => done(null, socketLike(s)),
      (err: Error) => done(err),
    );
    return undefined;
  }) as never;
  return {
    call: (method, path, body, allow = []) =>
      new Promise<Answer>((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(
          {
            method,
            path: `/${API_VERSION}${path}`,
            headers: { Host: 'docker', 'Content-Type': 'application/json', ...(payload ? { 'Content-Length': payload.length } : {}) },
            agent,
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
        // a forwarded stream has no socket timeout of its own: the request keeps the time
        const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        req.on('close', () => clearTimeout(timer));
        req.on('error', (err) =>
          reject(err instanceof MusterError ? err : new MusterError('E_UNREACHABLE', `${where}: ${method} ${path}: ${err.message}`, { cause: err })),
        );
        req.end(payload);
      }),
  };
}

/** An SSH channel is a plain stream: the socket methods a keep-alive agent calls on it become no-ops. */
function socketLike(s: Duplex): Duplex {
  const x = s as Duplex & Record<string, unknown>;
  for (const m of ['setTimeout', 'setKeepAlive', 'setNoDelay', 'ref', 'unref']) if (typeof x[m] !== 'function') x[m] = () => s;
  return s;
}

function hintFor(status: number, message: string): string | undefined {
  if (/not a swarm manager|This node is not a swarm manager/i.test(message)) return 'form the swarm first: muster play -i INVENTORY swarm';
  if (status === 503 && /swarm/i.test(message)) return 'the swarm has no quorum or this node left it: check `docker node ls` on a manager';
  return undefined;
}
