/**
 * How the agent's and the manager's APIs answer when something is wrong: one JSON shape, a stable code, the
 * field when there is one. Pure; both fastify apps hand their errors to errorAnswer.
 */

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; current?: number; hint?: string };
}

/** An error answer: status and body. */
export interface HttpError {
  status: number;
  body: ErrorBody;
}

/** One schema violation as ajv reports it (through fastify). */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  /** set by ajv when a property *name* broke a propertyNames rule */
  propertyName?: string;
}

/** `/containers/0/memoryLimit` -> `containers[0].memoryLimit`. */
export function fieldOf(instancePath: string, child?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** A schema violation -> 400 naming the field and what it must be. */
export function schemaError(v: SchemaViolation, context = 'body'): HttpError {
  let field = fieldOf(v.instancePath);
  let what = v.message ?? 'is not valid';
  if (v.keyword === 'required') {
    field = fieldOf(v.instancePath, String(v.params.missingProperty));
    what = 'is missing';
  } else if (v.keyword === 'additionalProperties') {
    field = fieldOf(v.instancePath, String(v.params.additionalProperty));
    what = 'is not a known field';
  } else if (v.propertyName !== undefined || (v.keyword === 'propertyNames' && v.params.propertyName !== undefined)) {
    field = fieldOf(v.instancePath, String(v.propertyName ?? v.params.propertyName));
    what = `is not an allowed name${v.message ? ` (${v.message})` : ''}`;
  }
  const where = field === '' ? `the ${context}` : field;
  return { status: 400, body: { error: { code: 'E_SCHEMA', message: `${where} ${what}`, field: field || undefined } } };
}

// Fastify's own client errors, by code, with messages that say what to send instead.
const clientErrors = (who: string): Record<string, { code: string; message: string }> => ({
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'E_CONTENT_TYPE', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'E_BODY', message: 'the Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'E_BODY', message: 'the JSON body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'E_BODY_TOO_LARGE', message: `the body is larger than the ${who} accepts` },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'E_JSON', message: 'the body is not valid JSON' },
  FST_ERR_BAD_URL: { code: 'E_URL', message: 'the URL is malformed (a bad percent escape?)' },
});

/**
 * Any error thrown while answering -> the answer. Client errors (4xx) keep their status with a stable code;
 * anything else is the server's fault (`who`: the agent, the manager): 500, with no internals in the message.
 */
export function errorAnswer(
  err: {
    code?: string;
    statusCode?: number;
    message?: string;
    validation?: SchemaViolation[];
    validationContext?: string;
  },
  who = 'agent',
): HttpError {
  if (err.validation && err.validation.length > 0) return schemaError(err.validation[0], err.validationContext);
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = err.code ? clientErrors(who)[err.code] : undefined;
    if (known) return { status, body: { error: known } };
    // JSON syntax errors come as SyntaxError with status 400 (and a message naming the position).
    if (status === 400 && /JSON/i.test(err.message ?? ''))
      return { status, body: { error: { code: 'E_JSON', message: `the body is not valid JSON: ${err.message}` } } };
    return { status, body: { error: { code: 'E_REQUEST', message: err.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'E_INTERNAL', message: `the ${who} failed to answer; its log has the details` } } };
}
