/**
 * The agent's HTTP API (the only file that imports fastify). `buildAgent` makes the app and never listens:
 * tests call `app.inject()`, `agent/main.ts` listens.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DesiredSet, NodeReport } from '../../shared/wire.js';
import type { DesiredStore } from '../state/desired-store.js';
import type { AvailabilityStore } from '../state/availability.js';
import type { DockerPort } from '../docker/port.js';
import type { Platform } from '../report/platform.js';
import { bearerChecker } from './auth.js';
import { BODY_LIMIT, desiredSetSchema } from './schema.js';
import { desiredSetProblem } from './check-desired.js';
import { errorAnswer, type ErrorBody, type HttpError } from '../../shared/http-errors.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from '../report/metrics.js';
import { registerAvailabilityRoutes } from './availability.js';
import { registerLogRoutes } from './logs.js';
import { registerImageRoutes } from './images.js';
import { registerFileRoutes } from './files.js';
import { ifNoneMatchHits, reportEtag } from './report-etag.js';
import type { FilesStore } from '../state/files-store.js';
import { type HeartbeatRequest, heartbeatRequestProblem } from '../../shared/heartbeat.js';
import type { HeartbeatSender } from '../heartbeat/sender.js';

/** What the API needs from the rest of the agent. */
export interface AgentDeps {
  /** the bearer token clients must send (16 characters at least) */
  token: string;
  desired: DesiredStore;
  availability: AvailabilityStore;
  /** the latest report (collected on the report interval; cheap to call) */
  report(): Promise<NodeReport>;
  /** told after a new desired set is saved, so the reconciler need not wait for its next tick */
  onDesiredChanged?(set: DesiredSet): void;
  /** told about errors the API answered with a 500 (a bug or a broken disk) */
  onError?(err: unknown): void;
  /** the engine, for container logs and image uploads (those routes answer 503 without it) */
  engine?: Pick<DockerPort, 'list' | 'logs' | 'loadImage' | 'images' | 'inspectImage' | 'removeImage'>;
  /** the node's platform: uploaded images must run on it */
  platform?: Platform;
  /** told after an image upload reached the engine (the next report lists the images again) */
  onImagesLoaded?(): void;
  /** secrets and configs (the /v1/files routes exist only with it) */
  files?: FilesStore;
  /** told when a secret or config was stored */
  onFileDelivered?(name: string): void;
  /** sends UDP heartbeats to the manager that asks for them (PUT /v1/heartbeat answers 503 without it) */
  heartbeat?: Pick<HeartbeatSender, 'start' | 'stop'>;
}

/** How the server is made: plain HTTP (tests) or HTTPS with the agent's certificate. */
export interface ServerOptions {
  https?: { key: Buffer | string; cert: Buffer | string };
}

// Every route and its methods, so that a wrong method gets 405 and the methods allowed.
const ROUTES: Record<string, string[]> = {
  '/v1/health': ['GET', 'HEAD'],
  '/v1/report': ['GET', 'HEAD'],
  '/v1/desired': ['GET', 'HEAD', 'PUT'],
  '/v1/heartbeat': ['PUT', 'DELETE'],
  '/metrics': ['GET', 'HEAD'],
};
const PUBLIC = new Set(['/v1/health']);

const send = (reply: FastifyReply, e: HttpError): FastifyReply => reply.code(e.status).type('application/json').send(e.body);
const fail = (status: number, code: string, message: string, extra: Partial<ErrorBody['error']> = {}): HttpError => ({
  status,
  body: { error: { code, message, ...extra } },
});

/** The agent app with its routes; it does not listen. */
export function buildAgent(deps: AgentDeps, server: ServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    // Strict validation: no silent type coercion, no silently dropped unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    // Errors fastify meets before routing (a malformed URL) get the same JSON shape as the others.
    frameworkErrors: (err: Parameters<typeof errorAnswer>[0], _req: FastifyRequest, reply: FastifyReply) => send(reply, errorAnswer(err)),
    ...(server.https ? { https: server.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  // Bodies are JSON only: a text/plain body is refused with 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');

  const authorised = bearerChecker(deps.token);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (PUBLIC.has(pathOf(req.url))) return;
    if (!authorised(req.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="muster-agent"');
      return send(reply, fail(401, 'E_AUTH', 'send the agent token as "Authorization: Bearer <token>"'));
    }
  });

  app.setErrorHandler((err, _req, reply) => {
    const answer = errorAnswer(err as Parameters<typeof errorAnswer>[0]);
    if (answer.status >= 500) deps.onError?.(err);
    return send(reply, answer);
  });

  app.setNotFoundHandler((req, reply) => {
    const allowed = ROUTES[pathOf(req.url)];
    if (allowed) {
      reply.header('allow', allowed.join(', '));
      return send(reply, fail(405, 'E_METHOD', `${req.method} is not allowed here; use ${allowed.join(' or ')}`));
    }
    return send(reply, fail(404, 'E_NOT_FOUND', `no route ${req.method} ${pathOf(req.url)}`));
  });

  app.get('/v1/health', async () => ({ status: 'ok' }));

  // The manager polls every second and the report changes every report interval: an unchanged report is a
  // bodiless 304 when the poll sends the last ETag; no-cache makes a proxy ask again every time. HEAD is
  // declared here, not derived: fastify's derived HEAD would add `content-length: 0` to a 304.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/v1/report',
    handler: async (req, reply) => {
      const report = await deps.report();
      const etag = reportEtag(report);
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.code(304).send();
      return report;
    },
  });

  app.get('/v1/desired', async (_req, reply) => {
    const set = deps.desired.current();
    if (set === null) return send(reply, fail(404, 'E_NO_DESIRED', 'no desired set yet: PUT one'));
    return set;
  });

  app.put('/v1/desired', { schema: { body: desiredSetSchema } }, async (req, reply) => {
    const set = req.body as DesiredSet;
    const problem = desiredSetProblem(set);
    if (problem) return send(reply, fail(400, 'E_SCHEMA', `${problem.field}: ${problem.message}`, { field: problem.field }));
    let outcome: Awaited<ReturnType<typeof deps.desired.put>>;
    try {
      outcome = await deps.desired.put(set);
    } catch (e) {
      deps.onError?.(e);
      return send(reply, fail(503, 'E_STATE', 'the agent could not save the desired set (its state directory); nothing changed, retry later'));
    }
    if (outcome.kind === 'stale') {
      return send(
        reply,
        fail(409, 'E_STALE_GENERATION', `generation ${set.generation} is not newer than the current ${outcome.current}`, { current: outcome.current }),
      );
    }
    if (outcome.kind === 'accepted') deps.onDesiredChanged?.(set);
    return { generation: outcome.generation, outcome: outcome.kind };
  });

  // The manager asks for heartbeats toward the address its request came from: it names only its UDP port.
  app.put('/v1/heartbeat', async (req, reply) => {
    const problem = heartbeatRequestProblem(req.body);
    if (problem) return send(reply, fail(400, 'E_SCHEMA', problem.message, problem.field ? { field: problem.field } : {}));
    if (!deps.heartbeat) return send(reply, fail(503, 'E_NO_HEARTBEAT', 'this agent sends no heartbeats: poll GET /v1/report instead'));
    const started = deps.heartbeat.start(req.body as HeartbeatRequest, req.socket.remoteAddress ?? '');
    if (!started.ok) return send(reply, fail(400, 'E_ADDRESS', started.message));
    return { to: started.to, intervalMs: started.intervalMs, ttlMs: started.ttlMs };
  });

  app.delete('/v1/heartbeat', async () => ({ stopped: deps.heartbeat?.stop() ?? false }));

  registerAvailabilityRoutes(app, deps);
  registerLogRoutes(app, deps);
  registerImageRoutes(app, deps);
  registerFileRoutes(app, deps);

  app.get('/metrics', async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(renderMetrics(await deps.report())));

  return app;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
