/** The simulated agents' heartbeat registrations: bad requests, a killed or frozen node, the registration's end. */
import t from 'tap';
import { HEARTBEAT_TTL_MS } from '../../../shared/heartbeat.js';
import { heartbeatFleet, QUIET, sleep } from './sim-heartbeat-support.js';

const { fleet, tokenOf, listener, nonce, body, register, unregister, reportTags, raw, now, setClock } = await heartbeatFleet(t);

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
  t.same({ tag: back.hb.tag, state: back.hb.state }, await reportTags('sim0003'), 'and the tags of the report collected again');
  t.same((await unregister('sim0003')).body, { stopped: true });
});

t.test('a registration ends HEARTBEAT_TTL_MS after it was made unless made again', async (t) => {
  const l = await listener(t, 'sim0001');
  const start = now();
  await register('sim0001', body('sim0001', l.port));
  await l.wait(1);
  setClock(start + HEARTBEAT_TTL_MS - 1);
  await l.clear();
  await l.wait(1);
  t.pass('1 ms before the limit: still sending');
  setClock(start + HEARTBEAT_TTL_MS);
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'at the limit: silent');
  t.same((await unregister('sim0001')).body, { stopped: false }, 'nothing left to stop');
  setClock(start + HEARTBEAT_TTL_MS - 1);
  await sleep(QUIET);
  t.same(l.got, [], 'a clock that goes back does not bring it back');

  // renewed before its end: runs HEARTBEAT_TTL_MS from the renewal
  const made = now();
  await register('sim0001', body('sim0001', l.port));
  const renewed = made + HEARTBEAT_TTL_MS - 10;
  setClock(renewed);
  const n = nonce();
  await register('sim0001', body('sim0001', l.port, n));
  setClock(made + HEARTBEAT_TTL_MS);
  await l.clear();
  t.equal((await l.wait(1))[0].hb.nonce, n, "at the first one's end: the renewal sends");
  setClock(renewed + HEARTBEAT_TTL_MS - 1);
  await l.clear();
  await l.wait(1);
  t.pass("1 ms before the renewal's own end: still sending");
  setClock(renewed + HEARTBEAT_TTL_MS);
  await l.clear();
  await sleep(QUIET);
  t.same(l.got, [], 'at its end: silent');
});
