/** The simulated agents send signed heartbeats when asked, as the real agent does: what they send, and when. */
import t from 'tap';
import { HEARTBEAT_TTL_MS, readHeartbeat, signedWith } from '../../../shared/heartbeat.js';
import { nextBeat } from '../../../bench/lib/sim-heartbeat.mjs';
import { call, heartbeatFleet, INTERVAL, QUIET, sleep } from './sim-heartbeat-support.js';

const { fleet, tokenOf, listener, nonce, body, register, unregister, reportTags } = await heartbeatFleet(t);

t.test("a node asked sends signed heartbeats, seq from 1, naming its report's tag", async (t) => {
  const l = await listener(t, 'sim0001');
  const before = fleet.stats();
  const n = nonce();
  const answer = await register('sim0001', body('sim0001', l.port, n));
  t.same(answer, { status: 200, body: { to: `127.0.0.1:${l.port}`, intervalMs: INTERVAL, ttlMs: HEARTBEAT_TTL_MS }, etag: undefined });
  const got = await l.wait(3);
  const tags = await reportTags('sim0001');
  t.ok(tags.tag, 'GET /v1/report has a tag');
  t.match(tags.state, /^s[A-Za-z0-9_-]{22}$/, 'and a state tag');
  t.same(
    got.map((r) => r.hb),
    [1, 2, 3].map((seq) => ({ node: 'sim0001', nonce: n, seq, ...tags })),
    'seq 1, 2, 3 under the nonce asked, with the tag GET /v1/report sends and the state tag of its body',
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
  const drained = await reportTags('sim0001');
  t.not(drained.tag, tags.tag, 'drained: a new report tag');
  t.not(drained.state, tags.state, 'and a new state tag');
  t.same(
    changed.map((r) => ({ tag: r.hb.tag, state: r.hb.state })),
    [drained, drained],
    'the heartbeats name them',
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
