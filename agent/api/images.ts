/**
 * POST /v1/images: a `docker save` tar streamed into the engine (never held in memory), then each loaded
 * image checked against the node's platform (and the one the controller expected, `?platform=linux/arm64`);
 * an image of another platform is removed again and the answer is 400 naming both platforms.
 */
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DockerPort, EngineImageDetail } from '../docker/port.js';
import type { ImageReport } from '../../shared/wire.js';
import { imageArch, parsePlatform, platformName, runsOn, type Platform } from '../report/platform.js';
import { answerError, otherMethodsNotAllowed } from './route-answers.js';

/** The largest tar this route reads (the other routes keep their 1 MiB limit). */
export const MAX_IMAGE_BYTES = 4 * 1024 ** 3;

/** The Content-Types a tar may come with. */
export const TAR_TYPES = new Set(['application/x-tar', 'application/tar']);

/** What the image route needs. */
export interface ImageDeps {
  engine?: Pick<DockerPort, 'loadImage' | 'images' | 'inspectImage' | 'removeImage'>;
  /** the node's platform (uploads are not checked against a node whose architecture is unknown) */
  platform?: Platform;
  /** told after a load reached the engine, whatever came of it */
  onImagesLoaded?(): void;
  onError?(err: unknown): void;
}

/** A loaded image as the answer and the report show it. */
export const imageReport = (d: EngineImageDetail): ImageReport => ({
  id: d.id,
  tags: [...d.tags].sort(),
  os: d.os,
  arch: imageArch(d.architecture, d.variant),
});

/**
 * Why a loaded image is refused, or undefined: it must run on the node, and be of the platform the
 * controller expected when it said one.
 */
export function platformProblem(image: Platform, node: Platform | undefined, expected: Platform | undefined): string | undefined {
  if (node && !runsOn(image, node)) return `is ${platformName(image)}, and this node is ${platformName(node)}`;
  if (expected && (image.os !== expected.os || image.arch !== expected.arch))
    return `is ${platformName(image)}, not the ${platformName(expected)} the controller expected`;
  return undefined;
}

/** A pass-through that fails once more than `limit` bytes went through it. */
export function byteLimit(limit: number): Transform & { bytes: () => number } {
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(Object.assign(new Error(`the image tar is larger than ${limit} bytes`), { statusCode: 413 }));
      done(null, chunk);
    },
  });
  return Object.assign(t, { bytes: () => bytes });
}

/** Registers POST /v1/images on `app` (in a scope of its own: only there is a tar body read, raw). */
export function registerImageRoutes(app: FastifyInstance, deps: ImageDeps): void {
  app.register(async (scope) => {
    // Every content type reaches the handler unread, as a stream; the handler refuses all but a tar.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post('/v1/images', (req, reply) => loadRoute(req, reply, deps));
  });
  otherMethodsNotAllowed(app, '/v1/images', ['POST']);
}

async function loadRoute(req: FastifyRequest, reply: FastifyReply, deps: ImageDeps): Promise<FastifyReply> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!TAR_TYPES.has(type)) return answerError(reply, 415, 'E_CONTENT_TYPE', 'send the image as application/x-tar (the output of docker save)');
  const query = req.query as Record<string, unknown>;
  for (const k of Object.keys(query)) if (k !== 'platform') return answerError(reply, 400, 'E_QUERY', `unknown parameter "${k}"; use platform`, { field: k });
  let expected: Platform | undefined;
  if (query.platform !== undefined) {
    expected = typeof query.platform === 'string' ? parsePlatform(query.platform) : undefined;
    if (!expected) return answerError(reply, 400, 'E_QUERY', 'platform wants os/arch[/variant], e.g. linux/arm64', { field: 'platform' });
    if (deps.platform && !runsOn(expected, deps.platform)) {
      return answerError(reply, 400, 'E_PLATFORM', `the controller expects ${platformName(expected)} images, and this node is ${platformName(deps.platform)}`, {
        field: 'platform',
      });
    }
  }
  const length = Number(req.headers['content-length'] ?? NaN);
  if (length > MAX_IMAGE_BYTES) return answerError(reply, 413, 'E_BODY_TOO_LARGE', `the image tar is larger than ${MAX_IMAGE_BYTES} bytes`);
  const body = req.body as Readable | undefined;
  if (!body || length === 0) return answerError(reply, 400, 'E_BODY', 'send the docker save tar as the body');
  const engine = deps.engine;
  if (!engine) return answerError(reply, 503, 'E_UNREACHABLE', 'this agent has no container engine');

  const limited = byteLimit(MAX_IMAGE_BYTES);
  body.on('error', (e) => limited.destroy(e));
  let loaded: EngineImageDetail[];
  let before: Set<string>;
  try {
    before = new Set((await engine.images()).map((i) => i.id));
    const refs = await engine.loadImage(body.pipe(limited));
    deps.onImagesLoaded?.();
    const details = await Promise.all(refs.map((r) => engine.inspectImage(r)));
    const byId = new Map<string, EngineImageDetail>();
    for (const d of details) if (d) byId.set(d.id, { ...d, tags: [...new Set([...(byId.get(d.id)?.tags ?? []), ...d.tags])] });
    loaded = [...byId.values()];
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode ?? 0;
    if (status === 413) return answerError(reply, 413, 'E_BODY_TOO_LARGE', (e as Error).message);
    if (status === 400) return answerError(reply, 400, 'E_IMAGE', `Docker could not load the tar: ${(e as Error).message}`);
    if ((e as { code?: string }).code === 'E_UNREACHABLE') return answerError(reply, 503, 'E_UNREACHABLE', (e as Error).message);
    deps.onError?.(e);
    return answerError(reply, 500, 'E_INTERNAL', 'the agent failed to load the image; its log has the details');
  }
  if (loaded.length === 0) return answerError(reply, 400, 'E_IMAGE', 'the tar held no image (make it with docker save IMAGE)');

  const refused = loaded.map((d) => ({ d, problem: platformProblem({ os: d.os, arch: imageArch(d.architecture, d.variant) }, deps.platform, expected) }));
  const bad = refused.filter((r) => r.problem !== undefined);
  if (bad.length > 0) {
    // Only what this upload brought is removed: an image the node had before stays.
    const removed: string[] = [];
    for (const { d } of bad) {
      if (before.has(d.id)) continue;
      try {
        await engine.removeImage(d.id);
        removed.push(d.id);
      } catch (e) {
        deps.onError?.(e);
      }
    }
    const what = bad.map(({ d, problem }) => `${d.tags[0] ?? d.id.slice(0, 19)} ${problem}${removed.includes(d.id) ? ' (removed again)' : ''}`);
    return answerError(reply, 400, 'E_PLATFORM', `wrong platform: ${what.join('; ')}`);
  }
  return reply.send({ loaded: loaded.map(imageReport) });
}
