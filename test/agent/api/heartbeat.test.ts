import t, { type Test } from 'tap';
import { createSocket } from 'node:dgram';
import { AUTH, TOKEN, harness } from './harness.js';
import { HEARTBEAT_TTL_MS, type Heartbeat, readHeartbeat, signedWith } from '../../../shared/heartbeat.js';
import { reportStateTag } from '../../../shared/report-state.js';

const NONCE = 'route-nonce-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A UDP socket on 127.0.0.1 keeping the heartbeats signed with the harness token. */
async function receiver(t: Test) {
  const socket = createSocket('udp4');
  const got: Heartbeat[] = [];
  socket.on('message', (packet) => {
    const read = readHeartbeat(packet);
    if (read.ok && signedWith(read, TOKEN)) got.push(read.hb);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  t.teardown(() => socket.close());
  const waitFor = async (n: number): Promise<void> => {
    for (let waited = 0; got.length < n; waited += 10) {
      if (waited > 3000) throw new Error(`${got.length} heartbeats within 3 s, ${n} wanted`);
      await sleep(10);
    }
  };
  return { port: socket.address().port, got, waitFor };
}

const body = (port: number, over: Record<string, unknown> = {}) => ({ node: 'pi4-a', port, nonce: NONCE, intervalMs: 200, ...over });

t.test('both routes want the token', async (t) => {
  const { app, heartbeat } = harness(t.testdir());
  t.teardown(() => heartbeat?.stop());
  for (const [method, headers] of [
    ['PUT', {}],
    ['PUT', { authorization: 'Bearer wrong-token-0123456789abcdef' }],
    ['DELETE', {}],
  ] as const) {
    const res = await app.inject({ method, url: '/v1/heartbeat', headers, payload: method === 'PUT' ? body(9) : undefined });
    t.equal(res.statusCode, 401, `${method} ${JSON.stringify(headers)}`);
    t.equal(res.json().error.code, 'E_AUTH');
  }
  t.same(heartbeat?.status(), { running: false }, 'nothing started');
});

t.test('a bad body is 400 E_SCHEMA naming the field, and starts nothing', async (t) => {
  const { app, heartbeat } = harness(t.testdir());
  t.teardown(() => heartbeat?.stop());
  const rows: [string, unknown, string | undefined][] = [
    ['an array', [body(7946)], undefined],
    ['a string', 'pi4-a', undefined],
    ['null', null, undefined],
    ['an extra field', body(7946, { address: '10.0.0.9' }), 'address'],
    ['no node', { port: 7946, nonce: NONCE, intervalMs: 200 }, 'node'],
    ['a node with a space', body(7946, { node: 'pi 4' }), 'node'],
    ['port 0', body(0), 'port'],
    ['port 65536', body(65536), 'port'],
    ['port as a string', body(7946, { port: '7946' }), 'port'],
    ['a nonce of 15 characters', body(7946, { nonce: 'A'.repeat(15) }), 'nonce'],
    ['intervalMs 199', body(7946, { intervalMs: 199 }), 'intervalMs'],
    ['intervalMs 10001', body(7946, { intervalMs: 10_001 }), 'intervalMs'],
  ];
  for (const [why, payload, field] of rows) {
    const headers = { ...AUTH, 'content-type': 'application/json' };
    const res = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers, payload: JSON.stringify(payload) });
    t.equal(res.statusCode, 400, why);
    const { error } = res.json();
    t.equal(error.code, 'E_SCHEMA', why);
    t.equal(error.field, field, `${why}: field`);
    t.match(error.message, field === undefined ? /the body must be an object/ : new RegExp(field), `${why}: ${error.message}`);
  }
  const none = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH });
  t.same([none.statusCode, none.json().error.code], [400, 'E_SCHEMA'], 'no body at all');
  t.same(heartbeat?.status(), { running: false }, 'nothing started');
});

t.test('PUT starts heartbeats to the requester; the datagrams carry the report ETag; DELETE stops them', async (t) => {
  const rx = await receiver(t);
  const { app, heartbeat } = harness(t.testdir());
  t.teardown(() => heartbeat?.stop());
  const put = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(rx.port) });
  t.equal(put.statusCode, 200);
  t.same(put.json(), { to: `127.0.0.1:${rx.port}`, intervalMs: 200, ttlMs: HEARTBEAT_TTL_MS });
  await rx.waitFor(1);
  const got = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  t.same(
    rx.got[0],
    { node: 'pi4-a', nonce: NONCE, seq: 1, tag: got.headers.etag, state: reportStateTag(got.json()) },
    'signed with the token, the ETag GET /v1/report sends and the state tag of its body',
  );

  const del = await app.inject({ method: 'DELETE', url: '/v1/heartbeat', headers: AUTH });
  t.same([del.statusCode, del.json()], [200, { stopped: true }]);
  await sleep(50);
  const after = rx.got.length;
  await sleep(500); // two and a half intervals
  t.equal(rx.got.length, after, 'nothing after DELETE');
  const again = await app.inject({ method: 'DELETE', url: '/v1/heartbeat', headers: AUTH });
  t.same([again.statusCode, again.json()], [200, { stopped: false }], 'none ran');
});

t.test('the edges of the interval and the port are taken', async (t) => {
  const rx = await receiver(t);
  const { app, heartbeat } = harness(t.testdir());
  t.teardown(() => heartbeat?.stop());
  for (const intervalMs of [200, 10_000]) {
    const res = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(rx.port, { intervalMs }) });
    t.same([res.statusCode, res.json().intervalMs], [200, intervalMs], `intervalMs ${intervalMs}`);
  }
  for (const port of [1, 65535]) {
    // Checked against a sender that records, so nothing is sent to those ports.
    const seen: number[] = [];
    const fake = {
      start: (req: { port: number }) => (seen.push(req.port), { ok: true as const, to: `x:${req.port}`, intervalMs: 200, ttlMs: 1 }),
      stop: () => false,
    };
    const other = harness(t.testdir(), { heartbeat: fake as never });
    const res = await other.app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(port) });
    t.same([res.statusCode, seen], [200, [port]], `port ${port}`);
  }
});

t.test('an IPv4-mapped requester is answered with its plain IPv4 address; a requester that is not an IP is 400', async (t) => {
  const rx = await receiver(t);
  const { app, heartbeat } = harness(t.testdir());
  t.teardown(() => heartbeat?.stop());
  const mapped = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(rx.port), remoteAddress: '::ffff:127.0.0.1' });
  t.same([mapped.statusCode, mapped.json().to], [200, `127.0.0.1:${rx.port}`]);
  await rx.waitFor(1);
  const odd = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(rx.port), remoteAddress: 'somewhere' });
  t.equal(odd.statusCode, 400);
  t.same(odd.json().error, { code: 'E_ADDRESS', message: 'cannot send heartbeats to "somewhere": not an IP address' });
});

t.test('other methods are 405 with Allow', async (t) => {
  const { app } = harness(t.testdir());
  for (const method of ['GET', 'POST', 'PATCH'] as const) {
    const res = await app.inject({ method, url: '/v1/heartbeat', headers: AUTH, payload: method === 'GET' ? undefined : {} });
    t.equal(res.statusCode, 405, method);
    t.equal(res.headers.allow, 'PUT, DELETE');
    t.equal(res.json().error.code, 'E_METHOD');
  }
});

t.test('an app without a sender answers 503 E_NO_HEARTBEAT, and DELETE says none ran', async (t) => {
  const { app } = harness(t.testdir(), { heartbeat: null });
  const put = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(7946) });
  t.equal(put.statusCode, 503);
  t.equal(put.json().error.code, 'E_NO_HEARTBEAT');
  const bad = await app.inject({ method: 'PUT', url: '/v1/heartbeat', headers: AUTH, payload: body(0) });
  t.equal(bad.statusCode, 400, 'a bad body is still 400');
  const del = await app.inject({ method: 'DELETE', url: '/v1/heartbeat', headers: AUTH });
  t.same([del.statusCode, del.json()], [200, { stopped: false }]);
});
