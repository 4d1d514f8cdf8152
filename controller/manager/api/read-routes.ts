/** The routes that read the manager's picture: nodes, services, replicas, logs, metrics. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ManagerView } from '../view.js';
import { isProblem, namesProblem, queryProblem, wholeNumber } from './checks.js';
import { actionAnswer, fail, send } from './errors.js';

/** The Prometheus text format's content type. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Most log lines one request may ask for per replica. */
export const MAX_TAIL = 10_000;

type Params = Record<string, string>;

/** Registers the read routes on `app`. */
export function registerReadRoutes(app: FastifyInstance, view: ManagerView): void {
  // Every route here takes no query unless it says so.
  const checked = (req: FastifyRequest, reply: FastifyReply, query: string[] = []): boolean => {
    const bad = namesProblem(req.params as Params) ?? queryProblem(req.query as Record<string, unknown>, query);
    if (bad) send(reply, bad);
    return bad === undefined;
  };

  app.get('/v1/nodes', async (req, reply) => (checked(req, reply) ? { nodes: view.nodes() } : reply));

  app.get('/v1/nodes/:node', async (req, reply) => {
    if (!checked(req, reply)) return reply;
    const { node } = req.params as Params;
    const detail = view.node(node);
    if (!detail) return send(reply, fail(404, 'E_NO_NODE', `the manager knows no node "${node}"`, { hint: 'GET /v1/nodes lists them' }));
    return detail;
  });

  app.get('/v1/services', async (req, reply) => (checked(req, reply) ? { services: view.services() } : reply));

  app.get('/v1/services/:stack/:service', async (req, reply) => {
    if (!checked(req, reply)) return reply;
    const { stack, service } = req.params as Params;
    const detail = view.service(stack, service);
    if (!detail) return send(reply, fail(404, 'E_NO_SERVICE', `no service "${service}" in a stack "${stack}"`, { hint: 'GET /v1/services lists them' }));
    return detail;
  });

  app.get('/v1/ps', async (req, reply) => {
    if (!checked(req, reply, ['stack', 'service'])) return reply;
    const { stack, service } = req.query as { stack?: string; service?: string };
    const names = namesProblem({ ...(stack !== undefined ? { stack } : {}), ...(service !== undefined ? { service } : {}) });
    if (names) return send(reply, names);
    if (service !== undefined && stack === undefined)
      return send(reply, fail(400, 'E_QUERY', 'service wants a stack too: ?stack=S&service=N', { field: 'stack' }));
    return { replicas: view.ps(stack === undefined ? undefined : { stack, ...(service !== undefined ? { service } : {}) }) };
  });

  app.get('/v1/logs/:stack/:service', { exposeHeadRoute: false }, async (req, reply) => {
    if (!checked(req, reply, ['tail'])) return reply;
    const tail = wholeNumber((req.query as Params).tail, 'tail', 1, MAX_TAIL, 100);
    if (isProblem(tail)) return send(reply, tail);
    const { stack, service } = req.params as Params;
    const got = await view.logs(stack, service, tail);
    if (Array.isArray(got)) return { lines: got };
    if (got.ok) return { lines: [] };
    const a = actionAnswer(got);
    return reply.code(a.status).type('application/json').send(a.body);
  });

  app.get('/metrics', async (req, reply) => (checked(req, reply) ? reply.type(METRICS_CONTENT_TYPE).send(view.metrics()) : reply));
}
