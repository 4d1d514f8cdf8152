import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { nextBeat } from '../../../bench/lib/sim-heartbeat.mjs';
import { startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { type AgentTarget, agentRequest } from '../../../controller/fleet/agent-request.js';
import { HEARTBEAT_TTL_MS, type Heartbeat, readHeartbeat, signedWith } from '../../../shared/heartbeat.js';

// The simulated agents send signed heartbeats when asked, as the real agent does (shared/heartbeat.ts).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TIMEOUT = 2_000;
const INTERVAL = 200; // the shortest an agent accepts: the tests wait a few of them
const QUIET = 4 * INTERVAL; // no datagram for this long: none is being sent
const T0 = Date.parse('2026-12-01T00:00:00Z');

let clock = T0;
const dir = mkdtempSync(join(tmpdir(), 'muster-sim-heartbeat-'));
const fleet = await startSimFleet({ nodes: 3, dir, codeRoot: ROOT, now: () => clock });
t.teardown(async () => {
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
});
const tokenOf = (name: string) => fleet.target(name).token;

/** What a manager's UDP socket received: every datagram read, and when it came. */
interface Received {
  hb: Heartbeat;
  signed: boolean;
  from: string;
}
class Listener {
  socket: Socket = createSocket('udp4');
  got: Received[] = [];
  bad: string[] = [];
  wake: () => void = () => {};
  constructor(readonly token: string) {}
  async open() {
    await new Promise<void>((done) => this.socket.bind(0, '127.0.0.1', () => done()));
    this.socket.on('message', (m, from) => {
      const read = readHeartbeat(m);
      if (!read.ok) this.bad.push(read.reason);
      else this.got.push({ hb: read.hb, signed: signedWith(read, this.token), from: from.address });
      this.wake();
    });
    return this;
  }
  get port() {
    return this.socket.address().port;
  }
  /** Waits until `n` datagrams came (since the last clear), or fails after TIMEOUT. */
  async wait(n: number): Promise<Received[]> {
    const until = Date.now() + TIMEOUT;
    while (this.got.length < n) {
      if (Date.now() > until) throw new Error(`${this.got.length} heartbeats came in ${TIMEOUT} ms, not ${n}`);
      await new Promise<void>((done) => {
        this.wake = done;
        setTimeout(done, 50);
      });
    }
    return this.got.slice(0, n);
  }
  /** Forgets what came, after what was under way landed. */
  async clear() {
    await sleep(50);
    this.got = [];
  }
  close() {
    this.socket.close();
  }
}
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
async function listener(t: Test, name: string) {
  const l = await new Listener(tokenOf(name)).open();
  t.teardown(() => l.close());
  return l;
}

let nonces = 0;
const nonce = () => `nonce-${String(++nonces).padStart(12, '0')}`;
const body = (name: string, port: number, n = nonce(), intervalMs = INTERVAL) => ({ node: name, port, nonce: n, intervalMs });

async function call(target: AgentTarget, method: string, path: string, value?: unknown) {
  const a = await agentRequest(target, method, path, TIMEOUT, value);
  if (!a.ok) throw new Error(`${method} ${path}: ${a.message}`);
  return { status: a.status, body: a.body ? JSON.parse(a.body) : undefined, etag: a.etag };
}
const register = (name: string, value: unknown) => call(fleet.target(name), 'PUT', '/v1/heartbeat', value);
const unregister = (name: string) => call(fleet.target(name), 'DELETE', '/v1/heartbeat');
const reportTag = async (name: string) => (await call(fleet.target(name), 'GET', '/v1/report')).etag;

/** A raw HTTPS request (verified against the fleet CA) with the token given, or none. */
function raw(name: string, method: string, path: string, token: string | null, text?: string) {
  const target = fleet.target(name);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((done, fail) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (text !== undefined) headers['content-type'] = 'application/json';
    const req = request({ host: target.address, port: target.port, method, path, ca: target.ca, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const s = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode ?? 0, headers: res.headers, body: s ? JSON.parse(s) : undefined });
      });
    });
    req.on('error', fail);
    req.end(text);
  });
}

t.test("a node asked sends signed heartbeats, seq from 1, naming its report's tag", async (t) => {
  const l = await listener(t, 'sim0001');
  const before = fleet.stats();
  const n = nonce();
  const answer = await register('sim0001', body('sim0001', l.port, n));
  t.same(answer, { status: 200, body: { to: `127.0.0.1:${l.port}`, intervalMs: INTERVAL, ttlMs: HEARTBEAT_TTL_MS }, etag: undefined });
  const got = await l.wait(3);
  const tag = await reportTag('sim0001');
  t.ok(tag, 'GET /v1/report has a tag');
  t.same(
    got.map((r) => r.hb),
    [1, 2, 3].map((seq) => ({ node: 'sim0001', nonce: n, seq, tag })),
    'seq 1, 2, 3 under the nonce asked, with the tag GET /v1/report sends',
  );
  t.same(
    got.map((r) => [r.signed, r.from]),
    [1, 2, 3].map(() => [true, '127.0.0.1']),
    "signed with the node's token, from 127.0.0.1",
  );
  t.same(l.bad, [], 'every datagram is a heartbeat');
  const read = readHeartbeat((await new Promise<Buffer>((done) => l.socket.once('message', done))) as Buffer);
  t.ok(read.ok && !signedWith(read, tokenOf('sim0002')), "not signed with another node's token");
  const after = fleet.stats();
  t.equal(after.registrations - before.registrations, 1, 'one registration counted');
  t.ok(after.heartbeats - before.heartbeats >= 4, `every datagram counted (${after.heartbeats - before.heartbeats})`);
  t.equal(after.requests['PUT /v1/heartbeat'] - (before.requests['PUT /v1/heartbeat'] ?? 0), 1);

  // what the report says changes: the next heartbeats name the new tag
  t.equal((await call(fleet.target('sim0001'), 'POST', '/v1/availability', { availability: 'drain' })).status, 200);
  await l.clear();
  const changed = await l.wait(2);
  const drained = await reportTag('sim0001');
  t.not(drained, tag, 'drained: a new report tag');
  t.same(
    changed.map((r) => r.hb.tag),
    [drained, drained],
    'the heartbeats name it',
  );
  t.ok(changed[0].hb.seq > 4, 'the same registration counts on');

  t.same((await unregister('sim0001')).body, { stopped: true }, 'DELETE: stopped');
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'no heartbeat after DELETE');
  t.same((await unregister('sim0001')).body, { stopped: false }, 'DELETE again: nothing was running');
  await call(fleet.target('sim0001'), 'POST', '/v1/availability', { availability: 'active' });
});

t.test('a new registration replaces the one running: new nonce, seq from 1', async (t) => {
  const l = await listener(t, 'sim0002');
  const first = nonce();
  await register('sim0002', body('sim0002', l.port, first));
  await l.wait(2);
  const second = nonce();
  await l.clear();
  await register('sim0002', body('sim0002', l.port, second));
  const switched = l.got.length; // datagrams of the first registration sent before the switch may land after the answer
  await l.wait(switched + 3);
  const got = l.got.slice(l.got.findIndex((r) => r.hb.nonce === second));
  t.same(
    got.slice(0, 3).map((r) => [r.hb.nonce, r.hb.seq]),
    [
      [second, 1],
      [second, 2],
      [second, 3],
    ],
    'the new nonce, from seq 1',
  );
  t.ok(
    got.every((r) => r.hb.nonce === second),
    'and nothing of the first one after it',
  );

  await register('sim0002', body('sim0002', l.port, second));
  await l.clear();
  const again = await l.wait(1);
  t.equal(again[0].hb.nonce, second);
  t.ok(again[0].hb.seq > 3, `the same nonce again (a retried PUT) counts on (${again[0].hb.seq}), as on the real agent`);

  const other = await listener(t, 'sim0002');
  await register('sim0002', body('sim0002', other.port, nonce()));
  await l.clear();
  await other.wait(2);
  t.same(l.got, [], 'a registration to another port: the old port hears nothing more');
  await unregister('sim0002');
});

t.test('each node sends on its own phase: the nodes asked at once do not send together', async (t) => {
  t.equal(nextBeat(0, 0, 4, 1000), 0);
  t.equal(nextBeat(0, 2, 4, 1000), 500, 'the third node of four: half an interval later');
  t.equal(nextBeat(500, 2, 4, 1000), 500, 'at its moment: that moment');
  t.equal(nextBeat(501, 2, 4, 1000), 1500, '1 ms after it: the next');
  t.equal(nextBeat(1499, 2, 4, 1000), 1500);
  t.equal(nextBeat(1501, 2, 4, 200), 1700, 'another interval: phase 100, every 200 ms');
  const moments = new Set(Array.from({ length: 1000 }, (_, i) => nextBeat(10_000, i, 1000, 1000) % 1000));
  t.equal(moments.size, 1000, '1,000 nodes at 1 s: 1,000 different milliseconds');

  // three nodes asked at once, every 300 ms: the first heartbeats at once, the next on phases 0, 100 and 200 ms
  const l = await listener(t, 'sim0001');
  const seconds = new Map<string, number>();
  l.socket.on('message', (m) => {
    const read = readHeartbeat(m);
    if (read.ok && read.hb.seq === 2) seconds.set(read.hb.node, performance.now());
  });
  await Promise.all(fleet.nodes.map((n) => register(n.name, body(n.name, l.port, nonce(), 300))));
  await l.wait(9);
  const times = [...seconds.values()].sort((a, b) => a - b);
  t.equal(times.length, 3, 'all three sent a second one');
  t.ok(times[1] - times[0] >= 60 && times[2] - times[1] >= 60, `their second datagrams are apart (${times.map((x) => Math.round(x - times[0]))} ms)`);
  await Promise.all(fleet.nodes.map((n) => unregister(n.name)));
});

t.test('the first heartbeat goes at once, whatever the interval', async (t) => {
  const l = await listener(t, 'sim0002');
  const asked = performance.now();
  await register('sim0002', body('sim0002', l.port, nonce(), 10_000));
  const [first] = await l.wait(1);
  const took = performance.now() - asked;
  t.equal(first.hb.seq, 1);
  t.ok(took < 1_000, `within ${Math.round(took)} ms of a 10 s interval`);
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'the second waits for its moment');
  await unregister('sim0002');
});

t.test('a bad body is refused with the field at fault; the token is required', async (t) => {
  const l = await listener(t, 'sim0003');
  const good = body('sim0003', l.port);
  const cases: [string, unknown][] = [
    ['', []],
    ['', 'heartbeats'],
    ['extra', { ...good, extra: 1 }],
    ['node', { ...good, node: '' }],
    ['node', { ...good, node: '-sim' }],
    ['port', { ...good, port: 0 }],
    ['port', { ...good, port: 65536 }],
    ['port', { ...good, port: '9000' }],
    ['nonce', { ...good, nonce: 'a'.repeat(15) }],
    ['nonce', { ...good, nonce: 'a'.repeat(65) }],
    ['nonce', { ...good, nonce: 'a'.repeat(16).replace('a', '+') }],
    ['intervalMs', { ...good, intervalMs: 199 }],
    ['intervalMs', { ...good, intervalMs: 10_001 }],
    ['intervalMs', { ...good, intervalMs: 200.5 }],
    ['intervalMs', { ...good, intervalMs: undefined }],
  ];
  const before = fleet.stats().registrations;
  for (const [field, value] of cases) {
    const a = await register('sim0003', value);
    t.equal(a.status, 400, `${JSON.stringify(value)}: 400`);
    t.match(a.body, { error: { code: 'E_SCHEMA', field } }, `field "${field}"`);
    if (field) t.match(a.body.error.message, new RegExp(`^${field}: `), 'the message names it');
  }
  t.equal(fleet.stats().registrations, before, 'none counted');
  const json = await raw('sim0003', 'PUT', '/v1/heartbeat', tokenOf('sim0003'), '{"node":');
  t.same([json.status, json.body.error.code], [400, 'E_JSON'], 'not JSON: 400');
  await sleep(QUIET);
  t.same(l.got, [], 'nothing sent for a refused body');

  for (const [label, value] of [
    ['the shortest interval', { ...good, intervalMs: 200 }],
    ['the longest interval', { ...good, intervalMs: 10_000 }],
    ['port 65535', { ...good, port: 65535 }],
    ['port 1', { ...good, port: 1 }],
    ['16-character nonce', { ...good, nonce: 'a'.repeat(16) }],
    ['64-character nonce', { ...good, nonce: 'a'.repeat(64) }],
  ] as const) {
    t.equal((await register('sim0003', value)).status, 200, `${label}: taken`);
  }
  t.equal(fleet.stats().registrations, before + 6, 'each counted');
  await unregister('sim0003');
  await l.clear();

  for (const method of ['PUT', 'DELETE']) {
    const none = await raw('sim0003', method, '/v1/heartbeat', null, method === 'PUT' ? JSON.stringify(good) : undefined);
    t.same([none.status, none.body.error.code], [401, 'E_AUTH'], `${method} without a token: 401`);
    const other = await raw('sim0003', method, '/v1/heartbeat', tokenOf('sim0001'), method === 'PUT' ? JSON.stringify(good) : undefined);
    t.equal(other.status, 401, `${method} with another node's token: 401`);
  }
  const get = await raw('sim0003', 'GET', '/v1/heartbeat', tokenOf('sim0003'));
  t.same([get.status, get.headers.allow], [405, 'PUT, DELETE'], 'GET: 405');
  await sleep(QUIET);
  t.same(l.got, [], 'nothing sent for a request without the token');
});

t.test('a killed node sends nothing, and revived it has no registration', async (t) => {
  const l = await listener(t, 'sim0002');
  await register('sim0002', body('sim0002', l.port));
  await l.wait(1);
  await fleet.kill('sim0002');
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'killed: silent');
  await fleet.revive('sim0002');
  await sleep(QUIET);
  t.same(l.got, [], 'revived: still silent (an agent that restarts holds no registration)');
  t.same((await unregister('sim0002')).body, { stopped: false }, 'nothing to stop');
  await register('sim0002', body('sim0002', l.port));
  t.equal((await l.wait(1))[0].hb.seq, 1, 'asked again: it sends again');
  await unregister('sim0002');
});

t.test('a frozen node sends nothing, and revived it sends again under the same registration', async (t) => {
  const l = await listener(t, 'sim0003');
  const n = nonce();
  await register('sim0003', body('sim0003', l.port, n));
  const last = (await l.wait(2))[1].hb.seq;
  await fleet.freeze('sim0003');
  await l.clear();
  const frozenAt = fleet.stats().heartbeats;
  await sleep(QUIET);
  t.same(l.got, [], 'frozen: silent');
  t.equal(fleet.stats().heartbeats, frozenAt, 'and nothing counted as sent');
  await fleet.revive('sim0003');
  const [back] = await l.wait(1);
  t.equal(back.hb.nonce, n, 'revived: the same registration');
  t.ok(back.hb.seq > last + 1, `seq counted on through the partition (${last} -> ${back.hb.seq})`);
  t.equal(back.hb.tag, await reportTag('sim0003'), 'and the tag of the report collected again');
  t.same((await unregister('sim0003')).body, { stopped: true });
});

t.test('a registration ends HEARTBEAT_TTL_MS after it was made unless made again', async (t) => {
  const l = await listener(t, 'sim0001');
  const start = clock;
  await register('sim0001', body('sim0001', l.port));
  await l.wait(1);
  clock = start + HEARTBEAT_TTL_MS - 1;
  await l.clear();
  await l.wait(1);
  t.pass('1 ms before the limit: still sending');
  clock = start + HEARTBEAT_TTL_MS;
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'at the limit: silent');
  t.same((await unregister('sim0001')).body, { stopped: false }, 'nothing left to stop');
  clock = start + HEARTBEAT_TTL_MS - 1;
  await sleep(QUIET);
  t.same(l.got, [], 'a clock that goes back does not bring it back');

  // renewed before its end: runs HEARTBEAT_TTL_MS from the renewal
  const made = clock;
  await register('sim0001', body('sim0001', l.port));
  const renewed = made + HEARTBEAT_TTL_MS - 10;
  clock = renewed;
  const n = nonce();
  await register('sim0001', body('sim0001', l.port, n));
  clock = made + HEARTBEAT_TTL_MS;
  await l.clear();
  t.equal((await l.wait(1))[0].hb.nonce, n, "at the first one's end: the renewal sends");
  clock = renewed + HEARTBEAT_TTL_MS - 1;
  await l.clear();
  await l.wait(1);
  t.pass("1 ms before the renewal's own end: still sending");
  clock = renewed + HEARTBEAT_TTL_MS;
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'at its end: silent');
});
