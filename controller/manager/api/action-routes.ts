/**
 * The routes that ask the manager to act: availability, scale, rollback, deploy, remove. Each is accepted
 * (202: the manager's loop does the work and events tell the progress) or refused with its reason.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Availability } from '../../../shared/wire.js';
import type { ActionResult, DeployRequest, ManagerView } from '../view.js';
import { namesProblem } from './checks.js';
import { actionAnswer, send } from './errors.js';
import { availabilityBody, deployBody, scaleBody, STACK_BODY_LIMIT } from './schemas.js';

type Params = Record<string, string>;

/** Registers the action routes on `app`. */
export function registerActionRoutes(app: FastifyInstance, view: ManagerView): void {
  // Checks the path's names (the body's schema ran before), then answers with what the view says.
  const act = (run: (p: Params, body: unknown) => Promise<ActionResult>) => async (req: FastifyRequest, reply: FastifyReply) => {
    const params = req.params as Params;
    const bad = namesProblem(params);
    if (bad) return send(reply, bad);
    const a = actionAnswer(await run(params, req.body));
    return reply.code(a.status).type('application/json').send(a.body);
  };

  app.post(
    '/v1/nodes/:node/availability',
    { schema: { body: availabilityBody } },
    act((p, b) => view.setAvailability(p.node, (b as { availability: Availability }).availability)),
  );
  app.post(
    '/v1/services/:stack/:service/scale',
    { schema: { body: scaleBody } },
    act((p, b) => view.scale(p.stack, p.service, (b as { replicas: number }).replicas)),
  );
  app.post(
    '/v1/services/:stack/:service/rollback',
    act((p) => view.rollback(p.stack, p.service)),
  );
  app.post(
    '/v1/stacks',
    { schema: { body: deployBody }, bodyLimit: STACK_BODY_LIMIT },
    act((_p, b) => view.deploy(b as DeployRequest)),
  );
  app.delete(
    '/v1/stacks/:stack',
    act((p) => view.remove(p.stack)),
  );
}
