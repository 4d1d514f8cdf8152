/**
 * The agent calls that stream: a container's log (followed for as long as the reader wants) and an image
 * upload (a `docker save` tar, never held whole). Same TLS, CA and token checks as agent-request.ts.
 */
import { request } from 'node:https';
import type { Readable } from 'node:stream';
import type { ImageReport } from '../../shared/wire.js';
import {
  type AgentFailure,
  type AgentTarget,
  classifyError,
  hostPort,
  parseJson,
  refusal,
  requestOptions,
  timedRequest,
  tokenRefused,
} from './agent-request.js';

/** An open log stream of one container: text as the agent sends it; `close()` ends it (and the agent lets Docker's go). */
export interface LogStream {
  ok: true;
  stream: NodeJS.ReadableStream;
  close(): void;
}

/**
 * GET /v1/logs/{container}?follow=&tail=&timestamps=: resolves once the agent answered the headers (within
 * timeoutMs) with the stream, or with why not. The stream itself has no time limit (it follows). Never throws.
 */
export function openLogStream(
  target: AgentTarget,
  container: string,
  q: { follow: boolean; tail?: number; timestamps: boolean },
  timeoutMs: number,
): Promise<LogStream | AgentFailure> {
  const params = new URLSearchParams({ follow: q.follow ? '1' : '0', timestamps: q.timestamps ? '1' : '0' });
  if (q.tail !== undefined) params.set('tail', String(q.tail));
  const path = `/v1/logs/${encodeURIComponent(container)}?${params}`;
  return timedRequest<LogStream>(target, 'GET', path, timeoutMs, { accept: 'text/plain' }, undefined, ({ res, req, done, where }) => {
    const status = res.statusCode ?? 0;
    if (status === 200) {
      done({ ok: true, stream: res, close: () => req.destroy() });
      return;
    }
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () =>
      done(
        status === 404 && Buffer.concat(chunks).toString('utf8').includes('manages no container')
          ? {
              ok: false,
              kind: 'bad-answer',
              message: `the agent at ${where} has no container ${container} (it may just have been removed)`,
              hint: 'muster ps -i INVENTORY shows what runs now',
            }
          : status === 401 || status === 403
            ? tokenRefused(status, where)
            : refusal(status, Buffer.concat(chunks).toString('utf8'), where, `the logs of ${container}`),
      ),
    );
    res.on('error', (e: NodeJS.ErrnoException) => done(classifyError(e.code, e.message, where, 0)));
  });
}

// --- image upload (muster deploy --ship-images) ---

/** What an agent loaded from an uploaded image tar. */
export interface ImagesLoaded {
  ok: true;
  loaded: ImageReport[];
  /** bytes sent */
  bytes: number;
}

/**
 * POST /v1/images?platform=os/arch: streams `tar` (a `docker save` output) to the agent as it comes, never
 * holding it whole; the agent loads it and refuses an image of another platform than `platform`. `idleMs`
 * bounds each silence (sending, or the agent loading), not the whole upload. The tar stream's own error (the
 * `docker save` failing) comes back as a 'bad-answer' failure with its message. Never throws.
 */
export function postImages(target: AgentTarget, tar: Readable, platform: string | undefined, idleMs: number): Promise<ImagesLoaded | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const path = `/v1/images${platform ? `?${new URLSearchParams({ platform })}` : ''}`;
  return new Promise((resolve) => {
    let settled = false;
    let bytes = 0;
    const done = (v: ImagesLoaded | AgentFailure): void => {
      if (settled) return;
      settled = true;
      resolve(v);
      if (!v.ok) {
        tar.unpipe(req);
        tar.destroy();
        req.destroy();
      }
    };
    const req = request(
      requestOptions(target, 'POST', path, { accept: 'application/json', 'content-type': 'application/x-tar', 'transfer-encoding': 'chunked' }),
    );
    req.setTimeout(idleMs, () => done(classifyError('ETIMEOUT', 'timeout', where, Math.round(idleMs / 100) / 10)));
    req.on('error', (e: NodeJS.ErrnoException) => done(classifyError(e.code, e.message, where, Math.round(idleMs / 100) / 10)));
    tar.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    tar.on('error', (e: Error) =>
      done({ ok: false, kind: 'bad-answer', message: `the image stream failed: ${e.message}`, hint: 'check that `docker save` works on the controller' }),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => done(classifyError(e.code, e.message, where, 0)));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8');
        if (status === 401 || status === 403) return done(tokenRefused(status, where));
        if (status !== 200) return done(refusal(status, body, where, 'the image upload'));
        const parsed = parseJson(body, where);
        if (!parsed.ok) return done(parsed);
        const loaded = (parsed.value as { loaded?: unknown } | null)?.loaded;
        if (!Array.isArray(loaded))
          return done({
            ok: false,
            kind: 'bad-answer',
            message: `the answer from ${where} names no loaded images`,
            hint: 'upgrade the agent and the controller together',
          });
        done({ ok: true, loaded: loaded as ImageReport[], bytes });
      });
    });
    tar.pipe(req);
  });
}
