/** The agent client's writes and reads beyond the report, over real HTTPS: the agent app, and a stub for routes it may not have yet. */
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { getDesired, pollReport, putDesired, putFile, setAvailability } from '../../../controller/fleet/agent-client.js';
import { type AgentTarget, agentRequest, refusal, requestOptions } from '../../../controller/fleet/agent-request.js';
import { fleetContext, keepAliveAgent, POOL_IDLE_MS } from '../../../controller/fleet/tls-pool.js';
import { openCa } from '../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../controller/fleet/node-credentials.js';
import type { DesiredSet } from '../../../shared/wire.js';
import { sampleReport } from '../../agent/sample-report.js';
import { closedPort, serveAgent } from './agent-server.js';

const state = mkdtempSync(join(tmpdir(), 'muster-client-'));
const now = new Date();
const { ca } = await openCa(state, { persist: true, now });
const creds = (await nodeCredentials(ca, state, 'h01', ['h01', '127.0.0.1'], { rotateToken: false, persist: true, now })).credentials;
const target = (port: number, token = creds.token): AgentTarget => ({ address: '127.0.0.1', port, ca: ca.certPem, token });

const set = (generation: number, names: string[] = ['web_app.1.0123abcd']): DesiredSet => ({
  generation,
  containers: names.map((name) => ({ name, stack: 'web', service: 'app', replica: 1, image: 'muster-busybox:1' })),
});

t.test('desired sets against the real agent: none yet, accepted, unchanged, stale with the current generation', async (t) => {
  const agent = await serveAgent({ cert: creds.certPem, key: creds.keyPem, token: creds.token });
  t.teardown(() => agent.close());
  const a = target(agent.port);
  t.same(await getDesired(a, 5000), { ok: true, set: null }, '404 E_NO_DESIRED is no set');
  t.same(await putDesired(a, set(3), 5000), { ok: true, outcome: 'accepted', generation: 3 });
  t.same(await putDesired(a, set(3), 5000), { ok: true, outcome: 'unchanged', generation: 3 }, 'a retry is harmless');
  t.same(await putDesired(a, set(3, ['web_app.2.0123abcd']), 5000), { ok: true, outcome: 'stale', generation: 3 }, 'same generation, other content');
  t.same(await putDesired(a, set(2), 5000), { ok: true, outcome: 'stale', generation: 3 }, 'an older generation');
  t.match(await getDesired(a, 5000), { ok: true, set: { generation: 3, containers: [{ name: 'web_app.1.0123abcd' }] } });
  t.same(await putDesired(a, set(4, []), 5000), { ok: true, outcome: 'accepted', generation: 4 }, 'one more is accepted');

  const bad = await putDesired(a, { generation: 5, containers: [{ name: '../x', stack: 'web', service: 'app', replica: 1, image: 'i' }] }, 5000);
  t.match(bad, { ok: false, kind: 'bad-answer', message: /refused desired set generation 5 \(HTTP 400 E_SCHEMA: / }, 'a refused set quotes the agent');
  t.match(await getDesired(target(agent.port, 'a-wrong-token-0123456789abcdef'), 5000), {
    ok: false,
    kind: 'token',
    message: /refused the token \(HTTP 401\)/,
  });
  t.match(await putDesired(target(await closedPort()), set(9), 2000), { ok: false, kind: 'refused' });
});

/** An HTTPS stub of the routes the agent grows: records what it got; answers by `reply`. */
async function stub(reply: (req: IncomingMessage, body: string) => [number, unknown]) {
  const seen: { method: string; url: string; auth: string; type: string; body: string }[] = [];
  const server = createServer({ cert: creds.certPem, key: creds.keyPem }, (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', type: req.headers['content-type'] ?? '', body });
      const [status, json] = reply(req, body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

t.test('files and availability: what is sent, and what the answers mean', async (t) => {
  const s = await stub((req) =>
    req.url?.includes('refuse')
      ? [400, { error: { code: 'E_SCHEMA', message: 'kind: must be secret or config' } }]
      : req.url?.includes('old')
        ? [404, { error: { code: 'E_NOT_FOUND', message: 'no route' } }]
        : [200, { ok: true }],
  );
  t.teardown(() => s.close());
  const a = target(s.port);
  t.same(await putFile(a, 'web_db.0123456789ab', 'secret', Buffer.from('hunter2'), 5000), { ok: true });
  t.same(s.seen[0], {
    method: 'PUT',
    url: '/v1/files/web_db.0123456789ab',
    auth: `Bearer ${creds.token}`,
    type: 'application/json',
    body: JSON.stringify({ kind: 'secret', data: Buffer.from('hunter2').toString('base64') }),
  });
  t.same(await setAvailability(a, 'drain', 5000), { ok: true, availability: 'drain' });
  t.match(s.seen[1], { method: 'POST', url: '/v1/availability', body: '{"availability":"drain"}' });

  const refused = await putFile(a, 'refuse', 'config', Buffer.from('x'), 5000);
  t.match(refused, { ok: false, kind: 'bad-answer', message: /refused the config refuse \(HTTP 400 E_SCHEMA: kind: must be secret or config\)/ });
  t.notMatch(JSON.stringify(refused), /eA==/, 'the content is never in a failure');
  t.match(await putFile(a, 'old', 'config', Buffer.from('x'), 5000), {
    ok: false,
    message: /does not know the config old \(HTTP 404\)/,
    hint: /older than this controller/,
  });
});

t.test("agentRequest: a timeout is classified; other statuses are the caller's", async (t) => {
  const s = await stub(() => [418, { error: { code: 'E_TEAPOT', message: 'short and stout' } }]);
  t.teardown(() => s.close());
  t.match(await agentRequest(target(s.port), 'GET', '/v1/x', 5000), { ok: true, status: 418, body: /E_TEAPOT/ });
  t.match(refusal(503, '{"error":{"code":"E_STATE","message":"disk full"}}', 'w:1', 'x'), {
    kind: 'bad-answer',
    message: /HTTP 503 E_STATE: disk full/,
    hint: /journalctl/,
  });
  t.match(refusal(500, 'not json', 'w:1', 'x'), { message: 'the agent at w:1 refused x (HTTP 500)' });
});

/** An HTTPS server with a certificate of another fleet's CA (closed at the test's end); its port. */
async function impostor(t: Test): Promise<number> {
  const otherState = mkdtempSync(join(tmpdir(), 'muster-client-other-'));
  const other = await openCa(otherState, { persist: true, now });
  const foreign = (await nodeCredentials(other.ca, otherState, 'h01', ['h01', '127.0.0.1'], { rotateToken: false, persist: true, now })).credentials;
  const server = createServer({ cert: foreign.certPem, key: foreign.keyPem }, (_req: IncomingMessage, res: ServerResponse) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as { port: number }).port;
}

t.test('keepAliveAgent: one pool per CA; polls through it share a connection, plain requests do not', async (t) => {
  let connections = 0;
  const server = createServer({ cert: creds.certPem, key: creds.keyPem }, (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  t.equal(keepAliveAgent(ca.certPem), keepAliveAgent(ca.certPem), 'the same pool for the same CA');
  t.not(keepAliveAgent(ca.certPem), keepAliveAgent(`${ca.certPem}\n`), 'another for another');
  const pooled = { ...target(port), pool: keepAliveAgent(ca.certPem) };
  for (let i = 0; i < 3; i++) t.match(await agentRequest(pooled, 'GET', '/v1/report', 2000), { ok: true, status: 200 });
  t.equal(connections, 1, 'three polls, one connection');
  for (let i = 0; i < 2; i++) t.match(await agentRequest(target(port), 'GET', '/v1/report', 2000), { ok: true, status: 200 });
  t.equal(connections, 3, 'each plain request its own');
  t.match(
    await agentRequest({ ...target(await impostor(t)), pool: keepAliveAgent(ca.certPem) }, 'GET', '/v1/report', 2000),
    { ok: false, kind: 'tls' },
    'the pool still verifies: a certificate from another CA is refused',
  );
  keepAliveAgent(ca.certPem).destroy();
  keepAliveAgent(`${ca.certPem}\n`).destroy();
});

t.test('fleetContext: every request to one CA shares one TLS context, which still verifies', async (t) => {
  const opts = (x: AgentTarget) => requestOptions(x, 'GET', '/v1/report', {});
  t.equal(opts(target(1)).secureContext, fleetContext(ca.certPem), 'a plain request takes the shared context');
  t.equal(opts(target(1)).secureContext, opts(target(2)).secureContext, 'two nodes, one context');
  t.not(fleetContext(`${ca.certPem}\n`), fleetContext(ca.certPem), 'another CA, another context');
  t.match(await agentRequest(target(await impostor(t)), 'GET', '/v1/report', 2000), { ok: false, kind: 'tls' }, 'a certificate from another CA is refused');
});

t.test('a pooled connection idle for POOL_IDLE_MS closes; one idle for less is used again', async (t) => {
  let connections = 0;
  let closed = 0;
  const server = createServer({ cert: creds.certPem, key: creds.keyPem }, (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('secureConnection', (socket) => {
    connections++;
    socket.on('close', () => closed++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const pooled = { ...target((server.address() as { port: number }).port), pool: keepAliveAgent(ca.certPem) };
  t.teardown(() => keepAliveAgent(ca.certPem).destroy());
  t.equal(POOL_IDLE_MS, 5000);
  t.match(await agentRequest(pooled, 'GET', '/v1/report', 2000), { ok: true });
  await new Promise((r) => setTimeout(r, POOL_IDLE_MS - 2000));
  t.match(await agentRequest(pooled, 'GET', '/v1/report', 2000), { ok: true });
  t.same([connections, closed], [1, 0], `idle ${(POOL_IDLE_MS - 2000) / 1000} s: the same connection`);
  await new Promise((r) => setTimeout(r, POOL_IDLE_MS + 1000));
  t.same([connections, closed], [1, 1], `idle ${(POOL_IDLE_MS + 1000) / 1000} s: closed`);
  t.match(await agentRequest(pooled, 'GET', '/v1/report', 2000), { ok: true });
  t.equal(connections, 2, 'the next poll opens another');
});

t.test('pollReport: sends the tag it holds; a 304 is unchanged, a 200 the new report and its tag', async (t) => {
  let tag = '"v1"';
  const asked: (string | undefined)[] = [];
  const server = createServer({ cert: creds.certPem, key: creds.keyPem }, (req: IncomingMessage, res: ServerResponse) => {
    asked.push(req.headers['if-none-match']);
    if (req.headers.authorization !== `Bearer ${creds.token}`) return res.writeHead(401).end('{}');
    if (req.headers['if-none-match'] === tag) return res.writeHead(304, { etag: tag }).end();
    res.writeHead(200, { 'content-type': 'application/json', etag: tag }).end(JSON.stringify({ ...sampleReport(), collectedAt: tag }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const a = { ...target((server.address() as { port: number }).port), pool: keepAliveAgent(ca.certPem) };

  t.match(await pollReport(a, 2000, undefined), { ok: true, etag: '"v1"', report: { collectedAt: '"v1"' } }, 'no tag held: the report');
  t.same(await pollReport(a, 2000, '"v1"'), { ok: true, unchanged: true }, 'the same tag: unchanged, nothing parsed');
  t.match(await pollReport(a, 2000, '"v0"'), { ok: true, etag: '"v1"', report: { collectedAt: '"v1"' } }, 'an old tag: the report');
  tag = '"v2"';
  t.match(await pollReport(a, 2000, '"v1"'), { ok: true, etag: '"v2"', report: { collectedAt: '"v2"' } }, 'the report changed: the new one');
  t.same(asked, [undefined, '"v1"', '"v0"', '"v1"'], 'If-None-Match carries the tag held, and only then');
  t.match(await pollReport({ ...a, token: 'a-wrong-token-0123456789abcdef' }, 2000, '"v2"'), { ok: false, kind: 'token' }, 'a refused token is no 304');
  keepAliveAgent(ca.certPem).destroy();
});

t.test('pollReport against the real agent: its tag comes back as unchanged until the report changes', async (t) => {
  let collectedAt = '2026-12-02T10:00:00.000Z';
  const agent = await serveAgent({ cert: creds.certPem, key: creds.keyPem, token: creds.token, report: () => ({ ...sampleReport(), collectedAt }) });
  t.teardown(() => agent.close());
  const a = target(agent.port);
  const first = await pollReport(a, 5000, undefined);
  if (!first.ok || 'unchanged' in first) return t.fail(`a report, not ${JSON.stringify(first)}`);
  t.match(first.etag, /^"[^"]+"$/, 'the agent tags its report');
  t.same(await pollReport(a, 5000, first.etag), { ok: true, unchanged: true });
  collectedAt = '2026-12-02T10:00:10.000Z';
  const next = await pollReport(a, 5000, first.etag);
  t.match(next, { ok: true, report: { collectedAt } }, 'a new collection is a new report');
  t.not((next as { etag?: string }).etag, first.etag, 'under a new tag');
});
