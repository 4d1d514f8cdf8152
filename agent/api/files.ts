/**
 * The files routes of the agent API: secrets and configs delivered before the desired set that mounts them.
 * `PUT /v1/files/{name}` stores, `GET /v1/files` lists (never content), `DELETE /v1/files/{name}` removes.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DesiredSet } from '../../shared/wire.js';
import type { FileKind, FilesStore, PutProblem } from '../state/files-store.js';
import { fileBodySchema, fileParamsSchema, MAX_FILE_BYTES } from './schema.js';
import type { HttpError } from '../../shared/http-errors.js';

/** What the files routes need. */
export interface FilesDeps {
  /** without it, no files routes */
  files?: FilesStore;
  /** the desired set (a file it mounts cannot be deleted) */
  desired: { current(): DesiredSet | null };
  onError?(err: unknown): void;
  /** told when a file was stored (not for a retry of the same content): containers waiting for it may go on */
  onFileDelivered?(name: string): void;
}

const send = (reply: FastifyReply, e: HttpError): FastifyReply => reply.code(e.status).type('application/json').send(e.body);
const fail = (status: number, code: string, message: string, field?: string): HttpError => ({
  status,
  body: { error: field === undefined ? { code, message } : { code, message, field } },
});

/** The refusal of a delivery as an answer (nothing of the content in it but its size and digest). */
export function refusal(name: string, p: PutProblem): HttpError {
  switch (p.kind) {
    case 'bad-name':
      return fail(400, 'E_SCHEMA', `name "${name}" must be <stack>_<key>.<12 hex digits of the sha256>`, 'name');
    case 'too-large':
      return fail(413, 'E_FILE_TOO_LARGE', `the file has ${p.size} bytes; secrets and configs hold ${MAX_FILE_BYTES} at most`, 'data');
    case 'digest-mismatch':
      return fail(
        400,
        'E_DIGEST',
        `the content's sha256 starts ${p.digest.slice(0, 12)}, not as "${name}" says: the name must end with .${p.digest.slice(0, 12)}`,
        'data',
      );
  }
}

// Strict base64: the schema allows only its alphabet; the length must be a multiple of 4.
function decode(data: string): Buffer | undefined {
  if (data.length % 4 !== 0) return undefined;
  const buf = Buffer.from(data, 'base64');
  return buf.toString('base64') === data ? buf : undefined;
}

const UNSUPPORTED = ['POST', 'PATCH', 'OPTIONS'] as const;

/** Registers the files routes on `app` (its auth hook and error handler apply). */
export function registerFileRoutes(app: FastifyInstance, deps: FilesDeps): void {
  const files = deps.files;
  if (!files) return;
  const storeFailed = (reply: FastifyReply, e: unknown): FastifyReply => {
    deps.onError?.(e);
    return send(reply, fail(503, 'E_STATE', 'the agent could not use its state directory; nothing changed, retry later'));
  };

  app.get('/v1/files', async (_req, reply) => {
    try {
      return { files: await files.list() };
    } catch (e) {
      return storeFailed(reply, e);
    }
  });

  app.put('/v1/files/:name', { schema: { params: fileParamsSchema, body: fileBodySchema } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    const { kind, data } = req.body as { kind: FileKind; data: string };
    const content = decode(data);
    if (content === undefined) return send(reply, fail(400, 'E_SCHEMA', 'data must be standard, padded base64', 'data'));
    let outcome: Awaited<ReturnType<FilesStore['put']>>;
    try {
      outcome = await files.put(name, kind, content);
    } catch (e) {
      return storeFailed(reply, e);
    }
    if (outcome.kind === 'refused') return send(reply, refusal(name, outcome.problem));
    if (outcome.kind === 'created') deps.onFileDelivered?.(name);
    return reply.code(outcome.kind === 'created' ? 201 : 200).send({ ...outcome.file, outcome: outcome.kind });
  });

  app.delete('/v1/files/:name', { schema: { params: fileParamsSchema } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    const user = deps.desired.current()?.containers.find((c) => c.files?.some((f) => f.name === name));
    if (user) return send(reply, fail(409, 'E_IN_USE', `${name} is mounted by ${user.name} in the desired set: change the desired set first`));
    let removed: FileKind[];
    try {
      removed = await files.remove(name);
    } catch (e) {
      return storeFailed(reply, e);
    }
    if (removed.length === 0) return send(reply, fail(404, 'E_NO_FILE', `no file ${name} on this node`));
    return { name, removed };
  });

  // Other methods on these paths: 405 with Allow, like the other routes.
  for (const [url, allowed] of [
    ['/v1/files', ['GET', 'HEAD']],
    ['/v1/files/:name', ['PUT', 'DELETE']],
  ] as const) {
    app.route({
      method: url === '/v1/files' ? ['PUT', 'DELETE', ...UNSUPPORTED] : ['GET', 'HEAD', ...UNSUPPORTED],
      url,
      handler: async (req, reply) => {
        reply.header('allow', allowed.join(', '));
        return send(reply, fail(405, 'E_METHOD', `${req.method} is not allowed here; use ${allowed.join(' or ')}`));
      },
    });
  }
}
