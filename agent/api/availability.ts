/** POST /v1/availability (active, pause, drain) and the older POST /v1/drain (a flag): both save, then answer. */
import type { FastifyInstance } from 'fastify';
import type { Availability } from '../../shared/wire.js';
import { AVAILABILITIES, fromAvailableFlag, type AvailabilityStore } from '../state/availability.js';
import { drainSchema } from './schema.js';
import { answerError, otherMethodsNotAllowed } from './route-answers.js';

/** POST /v1/availability body. */
export const availabilitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['availability'],
  properties: { availability: { type: 'string', enum: [...AVAILABILITIES] } },
} as const;

/** What the availability routes need. */
export interface AvailabilityDeps {
  availability: AvailabilityStore;
  onError?(err: unknown): void;
}

/** Registers POST /v1/availability and POST /v1/drain on `app`. */
export function registerAvailabilityRoutes(app: FastifyInstance, deps: AvailabilityDeps): void {
  const save = async (next: Availability): Promise<boolean> => {
    try {
      await deps.availability.set(next);
      return true;
    } catch (e) {
      deps.onError?.(e);
      return false;
    }
  };
  const unsaved = 'the agent could not save its availability; retry later';

  app.post('/v1/availability', { schema: { body: availabilitySchema } }, async (req, reply) => {
    const { availability } = req.body as { availability: Availability };
    if (!(await save(availability))) return answerError(reply, 503, 'E_STATE', unsaved);
    return { availability, available: availability === 'active' };
  });
  otherMethodsNotAllowed(app, '/v1/availability', ['POST']);

  // The flag of agents before pause existed: false drains, true makes the node active.
  app.post('/v1/drain', { schema: { body: drainSchema } }, async (req, reply) => {
    const { available } = req.body as { available: boolean };
    if (!(await save(fromAvailableFlag(available)))) return answerError(reply, 503, 'E_STATE', unsaved);
    return { available };
  });
  otherMethodsNotAllowed(app, '/v1/drain', ['POST']);
}
