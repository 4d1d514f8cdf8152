/** Small helpers the route modules share: the error shape of every answer, and 405 for the other methods. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ErrorBody } from '../../shared/http-errors.js';

/** Answers with the API's one error shape. */
export function answerError(reply: FastifyReply, status: number, code: string, message: string, extra: Partial<ErrorBody['error']> = {}): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send({ error: { code, message, ...extra } } satisfies ErrorBody);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** Every method `url` does not serve answers 405 with Allow (as app.ts does for its own routes). */
export function otherMethodsNotAllowed(app: FastifyInstance, url: string, allowed: string[]): void {
  const others = METHODS.filter((m) => !allowed.includes(m));
  app.route({
    method: [...others],
    url,
    handler: async (req, reply) => {
      reply.header('allow', allowed.join(', '));
      return answerError(reply, 405, 'E_METHOD', `${req.method} is not allowed here; use ${allowed.join(' or ')}`);
    },
  });
}
