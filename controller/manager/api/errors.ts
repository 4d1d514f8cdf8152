/**
 * How the manager's API answers when something is wrong: the agent API's one JSON shape
 * `{error: {code, message, field?, hint?}}`, stable codes, and the status an ActionResult names.
 */
import type { FastifyReply } from 'fastify';
import { schemaError, type SchemaViolation } from '../../../agent/api/http-errors.js';
import type { ActionResult } from '../view.js';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; hint?: string };
}

/** An error answer: status and body. */
export interface HttpError {
  status: number;
  body: ErrorBody;
}

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

// Fastify's own client errors, by code, with messages that say what to send instead.
const CLIENT_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'E_CONTENT_TYPE', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'E_BODY', message: 'the Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'E_BODY', message: 'the JSON body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'E_BODY_TOO_LARGE', message: 'the body is larger than the manager accepts here' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'E_JSON', message: 'the body is not valid JSON' },
  FST_ERR_BAD_URL: { code: 'E_URL', message: 'the URL is malformed (a bad percent escape?)' },
};

/**
 * Any error thrown while answering -> the answer. Client errors (4xx) keep their status with a stable code;
 * anything else is the manager's fault: 500, with no internals in the message.
 */
export function errorAnswer(err: {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: SchemaViolation[];
  validationContext?: string;
}): HttpError {
  if (err.validation && err.validation.length > 0) return schemaError(err.validation[0], err.validationContext) as HttpError;
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = err.code ? CLIENT_ERRORS[err.code] : undefined;
    if (known) return { status, body: { error: known } };
    if (status === 400 && /JSON/i.test(err.message ?? '')) return fail(400, 'E_JSON', `the body is not valid JSON: ${err.message}`);
    return fail(status, 'E_REQUEST', err.message ?? 'bad request');
  }
  return fail(500, 'E_INTERNAL', 'the manager failed to answer; its log has the details');
}
