/**
 * GET /v1/logs/{container}: a managed container's stdout and stderr as text, Docker's frame headers removed;
 * with `follow=1` it streams until the client goes away, and then lets go of Docker's stream at once.
 */
import { pipeline, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DockerPort, LogOptions } from '../docker/port.js';
import type { ObservedContainer } from '../types.js';
import type { MusterError } from '../../shared/errors.js';
import { demuxTransform } from './log-frames.js';
import { answerError, otherMethodsNotAllowed } from './route-answers.js';

/** What the log route needs. */
export interface LogDeps {
  engine?: Pick<DockerPort, 'list' | 'logs'>;
  onError?(err: unknown): void;
}

/** The query, checked: a word for each problem, or the options. */
export function logOptions(query: Record<string, unknown>): { options: LogOptions } | { problem: string; field: string } {
  const known = new Set(['follow', 'tail', 'since', 'timestamps']);
  for (const k of Object.keys(query)) if (!known.has(k)) return { problem: `unknown parameter "${k}"; use follow, tail, since, timestamps`, field: k };
  const flag = (k: string): boolean | undefined => {
    const v = query[k];
    if (v === undefined) return false;
    if (v === '1' || v === 'true') return true;
    return v === '0' || v === 'false' ? false : undefined;
  };
  const follow = flag('follow');
  if (follow === undefined) return { problem: 'follow wants 1 or 0', field: 'follow' };
  const timestamps = flag('timestamps');
  if (timestamps === undefined) return { problem: 'timestamps wants 1 or 0', field: 'timestamps' };
  const options: LogOptions = { follow, timestamps };
  const tail = query.tail;
  if (tail !== undefined && tail !== 'all') {
    if (typeof tail !== 'string' || !/^\d{1,9}$/.test(tail)) return { problem: 'tail wants a number of lines (or all)', field: 'tail' };
    options.tail = Number(tail);
  }
  const since = query.since;
  if (since !== undefined) {
    if (typeof since !== 'string' || !/^\d{1,12}(\.\d{1,9})?$/.test(since)) return { problem: 'since wants a UNIX time in seconds', field: 'since' };
    options.since = Number(since);
  }
  return { options };
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/** `<stack>_<service>` of a container name `<stack>_<service>.<slot>.<hash>` (the name itself without a dot). */
export const serviceOf = (name: string): string => (name.includes('.') ? name.slice(0, name.indexOf('.')) : name);

/** The managed container `wanted` names (its name, its id, or an id prefix of 12 digits or more). */
export function findContainer(all: ObservedContainer[], wanted: string): ObservedContainer | undefined {
  return all.find((c) => c.name === wanted) ?? (/^[0-9a-f]{12,64}$/.test(wanted) ? all.find((c) => c.id.startsWith(wanted)) : undefined);
}

/** The 404 message: what this agent runs for the service the name asks about, or which services it has. */
export function notFoundMessage(all: ObservedContainer[], wanted: string): string {
  const service = serviceOf(wanted);
  const same = all.filter((c) => serviceOf(c.name) === service).map((c) => c.name);
  if (same.length > 0) return `this agent manages no container "${wanted}"; ${service} has ${same.sort().join(', ')}`;
  const services = [...new Set(all.map((c) => serviceOf(c.name)))].sort();
  return `this agent manages no container "${wanted}" nor any of ${service}${services.length ? `; it runs ${services.join(', ')}` : '; it runs none'}`;
}

/** Registers GET /v1/logs/:container on `app`. */
export function registerLogRoutes(app: FastifyInstance, deps: LogDeps): void {
  app.get('/v1/logs/:container', { exposeHeadRoute: false }, async (req: FastifyRequest, reply: FastifyReply) => {
    const { container } = req.params as { container: string };
    if (!NAME.test(container)) return answerError(reply, 400, 'E_REQUEST', 'the container name is letters, digits and . _ -', { field: 'container' });
    const checked = logOptions(req.query as Record<string, unknown>);
    if ('problem' in checked) return answerError(reply, 400, 'E_QUERY', checked.problem, { field: checked.field });
    const engine = deps.engine;
    if (!engine) return answerError(reply, 503, 'E_UNREACHABLE', 'this agent has no container engine');
    let source: { stream: Readable; tty: boolean };
    try {
      const all = await engine.list();
      const found = findContainer(all, container);
      if (!found) return answerError(reply, 404, 'E_NOT_FOUND', notFoundMessage(all, container));
      source = await engine.logs(found.id, checked.options);
    } catch (e) {
      // Removed between the list and the logs request: gone, as far as the client can tell.
      if ((e as { cause?: { statusCode?: number } }).cause?.statusCode === 404) return answerError(reply, 404, 'E_NOT_FOUND', `${container} is gone`);
      const status = (e as MusterError).code === 'E_UNREACHABLE' ? 503 : 500;
      if (status === 500) deps.onError?.(e);
      return answerError(
        reply,
        status,
        status === 503 ? 'E_UNREACHABLE' : 'E_INTERNAL',
        status === 503 ? (e as Error).message : 'the agent failed to read the logs; its log has the details',
      );
    }
    const body = source.tty ? source.stream : pipeline(source.stream, demuxTransform(), () => undefined);
    // A client that goes away (the end of `muster logs -f`) must not leave Docker's stream open.
    const release = (): void => {
      source.stream.destroy();
      body.destroy();
    };
    reply.raw.once('close', release);
    return reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').type('text/plain; charset=utf-8').send(body);
  });
  otherMethodsNotAllowed(app, '/v1/logs/:container', ['GET']);
}
