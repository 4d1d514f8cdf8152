/**
 * The manager's HTTP API and dashboard (the manager's only fastify file). `buildManagerApi` makes the app
 * and never listens: tests call `app.inject()`, `muster serve` listens. It reads and asks a ManagerView
 * only, so it is tested with a fake one.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { bearerChecker, tokenChecker } from '../../../shared/bearer.js';
import type { ManagerView } from '../view.js';
import { registerActionRoutes } from './action-routes.js';
import { errorAnswer, fail, send } from './errors.js';
import { registerEventRoutes } from './events.js';
import { registerReadRoutes } from './read-routes.js';
import { BODY_LIMIT, loginBody } from './schemas.js';
import { cookieValue, FailureLimit, SESSION_COOKIE, SESSION_TTL_MS, sessionCookie, Sessions } from './sessions.js';
import { assetFor, readAssets, WEB_DIR } from './static.js';

/** How the API is made. */
export interface ManagerApiOptions {
  /** the bearer token clients send, and people type to log in (16 characters at least) */
  token: string;
  /** HTTPS with the manager's certificate; plain HTTP without (tests) */
  https?: { key: Buffer | string; cert: Buffer | string };
  /** told about errors the API answered with a 500 (a bug) */
  onError?(err: unknown): void;
  /** the clock, for sessions and the guessing limit (tests) */
  now?: () => number;
  sessionTtlMs?: number;
  /** how long a wrong token waits for its 401 (default 250 ms) */
  failureDelayMs?: number;
  /** wrong credentials one address may send per minute before it is told to wait */
  failureLimit?: number;
  heartbeatMs?: number;
  /** where the dashboard's files are (default: the package's controller/manager/web/) */
  webDir?: string;
}

/** The Content-Security-Policy of every answer: this origin's files only, no inline script or style. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Paths anyone may ask for: the health check, logging in and out, and the dashboard's files.
const isPublic = (path: string): boolean => path === '/v1/health' || path === '/v1/login' || path === '/v1/logout' || path === '/' || path.startsWith('/ui');
const pathOf = (url: string): string => (url.includes('?') ? url.slice(0, url.indexOf('?')) : url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Every route and its methods: any other method gets 405 with Allow.
const ROUTES: [string, string[]][] = [
  ['/', ['GET', 'HEAD']],
  ['/ui', ['GET', 'HEAD']],
  ['/ui/*', ['GET', 'HEAD']],
  ['/v1/health', ['GET', 'HEAD']],
  ['/v1/login', ['POST']],
  ['/v1/logout', ['POST']],
  ['/v1/nodes', ['GET', 'HEAD']],
  ['/v1/nodes/:node', ['GET', 'HEAD']],
  ['/v1/nodes/:node/availability', ['POST']],
  ['/v1/services', ['GET', 'HEAD']],
  ['/v1/services/:stack/:service', ['GET', 'HEAD']],
  ['/v1/services/:stack/:service/scale', ['POST']],
  ['/v1/services/:stack/:service/rollback', ['POST']],
  ['/v1/ps', ['GET', 'HEAD']],
  ['/v1/logs/:stack/:service', ['GET']],
  ['/v1/stacks', ['POST']],
  ['/v1/stacks/:stack', ['DELETE']],
  ['/v1/events', ['GET']],
  ['/metrics', ['GET', 'HEAD']],
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** The manager's app with its routes; it does not listen. */
export function buildManagerApi(view: ManagerView, opts: ManagerApiOptions): FastifyInstance {
  const now = opts.now ?? Date.now;
  const bearer = bearerChecker(opts.token);
  const tokenMatches = tokenChecker(opts.token);
  const sessions = new Sessions(now, opts.sessionTtlMs ?? SESSION_TTL_MS);
  const limit = new FailureLimit(now, opts.failureLimit ?? 20);
  const failureDelayMs = opts.failureDelayMs ?? 250;
  const assets = readAssets(opts.webDir ?? WEB_DIR);

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    // Names are 128 characters at most; longer ones get a 400 that says so, not a 404.
    routerOptions: { maxParamLength: 256 },
    // Strict validation: no silent type coercion, no silently dropped unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    frameworkErrors: (err: Parameters<typeof errorAnswer>[0], _req: FastifyRequest, reply: FastifyReply) => send(reply, errorAnswer(err)),
    ...(opts.https ? { https: opts.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  // Bodies are JSON only: a text/plain body is refused with 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');

  const refuse = async (req: FastifyRequest, reply: FastifyReply, counted: boolean): Promise<FastifyReply> => {
    if (counted) {
      limit.failed(req.ip);
      await sleep(failureDelayMs);
    }
    reply.header('www-authenticate', 'Bearer realm="muster-manager"');
    return send(
      reply,
      fail(401, 'E_AUTH', 'send the manager token as "Authorization: Bearer <token>", or log in', { hint: 'the token is in the state directory' }),
    );
  };

  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (opts.https) reply.header('strict-transport-security', 'max-age=31536000');
    const path = pathOf(req.url);
    if (isPublic(path)) return;
    const wait = limit.waitS(req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return send(reply, fail(429, 'E_TOO_MANY', `too many wrong credentials from this address; try again in ${wait} s`));
    }
    const header = req.headers.authorization;
    if (header !== undefined) return bearer(header) ? undefined : refuse(req, reply, true);
    const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (session === undefined) return refuse(req, reply, false);
    if (!sessions.valid(session)) return refuse(req, reply, true);
    // A browser's session changes nothing from another site's page (SameSite=Strict already says so; this is the belt).
    if (req.method !== 'GET' && req.method !== 'HEAD' && crossSite(req)) {
      return send(reply, fail(403, 'E_CROSS_SITE', 'a request from another site may not act with the session'));
    }
  });

  app.setErrorHandler((err, _req, reply) => {
    const answer = errorAnswer(err as Parameters<typeof errorAnswer>[0]);
    if (answer.status >= 500) opts.onError?.(err);
    return send(reply, answer);
  });

  app.setNotFoundHandler((req, reply) => send(reply, fail(404, 'E_NOT_FOUND', `no route ${req.method} ${pathOf(req.url).slice(0, 200)}`)));

  app.get('/v1/health', async () => ({ status: 'ok' }));

  app.post('/v1/login', { schema: { body: loginBody } }, async (req, reply) => {
    const wait = limit.waitS(req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return send(reply, fail(429, 'E_TOO_MANY', `too many wrong credentials from this address; try again in ${wait} s`));
    }
    if (!tokenMatches((req.body as { token: string }).token)) return refuse(req, reply, true);
    const s = sessions.open();
    reply.header('set-cookie', sessionCookie(s.id, Math.floor((s.expiresMs - now()) / 1000)));
    return { expiresAt: new Date(s.expiresMs).toISOString() };
  });

  app.post('/v1/logout', async (req, reply) => {
    sessions.close(cookieValue(req.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', sessionCookie(undefined, 0));
    return reply.code(204).send();
  });

  registerReadRoutes(app, view);
  registerActionRoutes(app, view);
  const endStreams = registerEventRoutes(app, { feed: view.events, heartbeatMs: opts.heartbeatMs });
  app.addHook('preClose', async () => endStreams());

  app.get('/', async (_req, reply) => reply.redirect('/ui/', 302));
  app.get('/ui', async (_req, reply) => reply.redirect('/ui/', 301));
  app.get('/ui/*', async (req, reply) => {
    const asset = assetFor(assets, (req.params as { '*': string })['*']);
    if (!asset) return send(reply, fail(404, 'E_NOT_FOUND', `the dashboard has no file ${pathOf(req.url).slice(0, 200)}`));
    // Not fingerprinted: the browser keeps a copy but asks each time, and gets 304 while it is the same.
    reply.header('cache-control', 'no-cache').header('etag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  });

  for (const [url, allowed] of ROUTES) {
    app.route({
      method: METHODS.filter((m) => !allowed.includes(m)),
      url,
      handler: async (req, reply) => {
        reply.header('allow', allowed.join(', '));
        return send(reply, fail(405, 'E_METHOD', `${req.method} is not allowed here; use ${allowed.join(' or ')}`));
      },
    });
  }
  return app;
}

/** Whether a browser says the request comes from a page of another origin. */
function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}
