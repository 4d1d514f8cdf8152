/**
 * How the manager's API answers when something is wrong: the agent API's one JSON shape
 * `{error: {code, message, field?, hint?}}`, stable codes, and the status an ActionResult names.
 */
import type { FastifyReply } from 'fastify';
import { errorAnswer as sharedErrorAnswer, type ErrorBody, type HttpError } from '../../../shared/http-errors.js';
import type { ActionResult } from '../view.js';

export type { ErrorBody, HttpError };

/** An error answer from its parts. */
export const fail = (status: number, code: string, message: string, extra: Partial<ErrorBody['error']> = {}): HttpError => ({
  status,
  body: { error: { code, message, ...extra } },
});

/** Sends an error answer. */
export const send = (reply: FastifyReply, e: HttpError): FastifyReply => reply.code(e.status).type('application/json').send(e.body);

/** An action's result as the answer: 202 with the message when accepted, else its status and reason. */
export function actionAnswer(r: ActionResult): { status: number; body: unknown } {
  if (r.ok) return { status: 202, body: { message: r.message, ...(r.version !== undefined ? { version: r.version } : {}) } };
  return fail(r.status, r.code, r.message, r.hint !== undefined ? { hint: r.hint } : {});
}

/** Any error thrown while answering -> the answer (shared/http-errors.ts, worded for the manager). */
export const errorAnswer = (err: Parameters<typeof sharedErrorAnswer>[0]): HttpError => sharedErrorAnswer(err, 'manager');
