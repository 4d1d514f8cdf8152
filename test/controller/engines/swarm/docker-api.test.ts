/** The Docker API client over a dialled stream: a local HTTP server on a Unix socket stands in for dockerd. */
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { dockerApi, filters } from '../../../../controller/engines/swarm/docker-api.js';
import type { MusterError } from '../../../../shared/errors.js';

const socket = join(mkdtempSync(join(tmpdir(), 'muster-swarm-api-')), 'docker.sock');
const seen: { method?: string; url?: string; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, body });
    if (req.url?.endsWith('/missing')) return res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"no such service: x"}');
    if (req.url?.endsWith('/hang')) return; // never answers
    if (req.url?.endsWith('/manager')) return res.writeHead(503).end('{"message":"This node is not a swarm manager."}');
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ID: 'abc', got: body ? JSON.parse(body) : null }));
  });
});
await new Promise<void>((r) => server.listen(socket, r));
t.teardown(() => {
  server.closeAllConnections(); // kept-alive streams, and the one /hang never answers
  server.close();
});
let dials = 0;
const api = dockerApi(async () => (dials++, connect(socket)), 'docker on h01');

t.test('JSON in and out, on the versioned path; streams kept open for later calls', async (t) => {
  const r = await api.call('POST', '/services/create', { Name: 'st_web' });
  t.same(r, { status: 201, body: { ID: 'abc', got: { Name: 'st_web' } } });
  await api.call('GET', `/services?${filters({ label: ['com.docker.stack.namespace=st'] })}`);
  t.equal(seen[0].url, '/v1.41/services/create');
  t.equal(seen[1].url, '/v1.41/services?filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dst%22%5D%7D');
  t.equal(dials, 1, 'the second call reuses the first stream');
  await Promise.all(Array.from({ length: 3 }, () => api.call('GET', '/info')));
  const after = dials;
  t.ok(after > 1, 'calls at once get streams of their own');
  for (let i = 0; i < 3; i++) await api.call('GET', '/info');
  t.equal(dials, after, 'later calls in turn reuse the streams kept open');
  t.equal(seen.length, 8);
});

t.test('an error answer names the daemon, the request and its message; an allowed status does not throw', async (t) => {
  await t.rejects(api.call('DELETE', '/services/missing'), { message: 'docker on h01: DELETE /services/missing: 404 no such service: x' });
  t.same(await api.call('DELETE', '/services/missing', undefined, [404]), { status: 404, body: { message: 'no such service: x' } });
  const err = await api.call('GET', '/manager').catch((e: MusterError) => e);
  t.match(err, { hint: /muster play -i INVENTORY swarm/ });
});

t.test('a stream that cannot be opened is an unreachable daemon', async (t) => {
  const broken = dockerApi(async () => {
    throw new Error('open failed');
  }, 'docker on h02');
  await t.rejects(broken.call('GET', '/info'), { code: 'E_UNREACHABLE', message: /docker on h02: GET \/info: open failed/ });
});

// An SSH channel is a Duplex without a socket's methods (setTimeout, setKeepAlive, ref...).
function plainStream(sock: Socket): Duplex {
  const d = new Duplex({
    read() {},
    write(chunk, _enc, cb) {
      sock.write(chunk, cb);
    },
    final(cb) {
      sock.end();
      cb();
    },
  });
  sock.on('data', (c) => d.push(c));
  sock.on('end', () => d.push(null));
  return d;
}

t.test('over a plain stream, as an SSH channel is: calls in turn reuse it; a silent daemon times out', async (t) => {
  let opened = 0;
  const channel = dockerApi(async () => (opened++, plainStream(connect(socket))), 'docker on h03', 300);
  for (let i = 0; i < 3; i++) t.equal((await channel.call('GET', '/info')).status, 201);
  t.equal(opened, 1, 'one stream for three calls');
  const started = Date.now();
  await t.rejects(channel.call('GET', '/hang'), { code: 'E_UNREACHABLE', message: /docker on h03: GET \/hang: no answer within 0.3 s/ });
  t.ok(Date.now() - started < 3000, 'the timeout ends the call');
  t.equal((await channel.call('GET', '/info')).status, 201, 'a call after the timeout gets a working stream');
});
