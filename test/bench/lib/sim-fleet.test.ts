import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { defaultBasePort, inventoryYaml, simName, startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { simModels } from '../../../bench/lib/sim-report.mjs';
import { readFleet } from '../../../controller/deploy/fleet.js';
import { getDesired, getReport, putDesired, setAvailability } from '../../../controller/fleet/agent-client.js';
import type { AgentTarget } from '../../../controller/fleet/agent-request.js';
import { readNodeToken } from '../../../controller/fleet/node-credentials.js';
import type { ContainerSpec, DesiredSet } from '../../../shared/wire.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const MiB = 2 ** 20;
const DELAY = 5_000;
const TIMEOUT = 2_000;

const spec = (service: string, replica: number, more: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: `shop_${service}.${replica}.0123abcd`,
  stack: 'shop',
  service,
  replica,
  image: 'nginx:1.27',
  memoryLimit: 64 * MiB,
  ...more,
});

// One fleet of three nodes for every test, on a clock the tests move (containers start DELAY after they are added).
let clock = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'muster-sim-fleet-'));
const fleet = await startSimFleet({ nodes: 3, dir, codeRoot: ROOT, startDelayMs: DELAY, now: () => clock });
t.teardown(async () => {
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
});
const names = fleet.nodes.map((n) => n.name);

/** A raw HTTPS request to a node (verified against the fleet CA): status, headers, parsed body. */
function raw(target: AgentTarget, method: string, path: string, opts: { token?: string | null; body?: string; type?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((done, fail) => {
    const token = opts.token === undefined ? target.token : opts.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
    const req = request({ host: target.address, port: target.port, method, path, ca: target.ca, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

const refusedAt = (port: number) =>
  new Promise<string>((done) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      done('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'error'));
  });

t.test('the controller reads the generated inventory and state directory as a real fleet', async (t) => {
  t.same(names, ['sim0001', 'sim0002', 'sim0003']);
  const nodes = await readFleet({ inventory: fleet.inventory, timeoutMs: TIMEOUT, env: fleet.env });
  t.same(
    nodes.map((n) => [n.name, n.address, n.port, n.failure]),
    fleet.nodes.map((n) => [n.name, '127.0.0.1', n.port, undefined]),
    'every node answers over verified TLS with its own token',
  );
  const models = simModels(3, 1);
  for (const [i, n] of nodes.entries()) {
    t.equal(n.report?.node.hostname, n.name);
    t.equal(n.report?.cgroups.memory.enforced, models[i].enforced, `${n.name}: memory enforcement as its model says`);
    t.equal(n.report?.node.memory?.totalBytes, models[i].totalBytes);
    t.equal(n.desired, null, 'no desired set yet');
    t.equal(await readNodeToken(dir, n.name), fleet.nodes[i].token, 'the token is where the controller looks');
  }
  t.not(fleet.nodes[0].token, fleet.nodes[1].token, 'each node has its own token');
});

t.test('the real agent client: report, desired set, and tokens', async (t) => {
  const target = fleet.target('sim0001');
  const report = await getReport(target, TIMEOUT);
  t.ok(report.ok, 'a report over TLS verified against the fleet CA');
  if (report.ok) {
    t.equal(report.report.containers.length, 0);
    t.equal(report.report.reconcile.generation, null);
    t.ok(Math.abs(Date.parse(report.report.collectedAt) - clock) < 1000, 'collected now');
  }
  t.same(await getDesired(target, TIMEOUT), { ok: true, set: null }, '404 E_NO_DESIRED before the first set');
  const missing = await raw(target, 'GET', '/v1/desired');
  t.same([missing.status, missing.body.error.code], [404, 'E_NO_DESIRED']);

  const wrong = { ...target, token: fleet.nodes[1].token };
  t.match(await getReport(wrong, TIMEOUT), { ok: false, kind: 'token' }, "another node's token is refused");
  t.match(await getDesired(wrong, TIMEOUT), { ok: false, kind: 'token' });
  t.match(await putDesired(wrong, { generation: 1, containers: [] }, TIMEOUT), { ok: false, kind: 'token' });
  t.equal(fleet.desired('sim0001'), null, 'nothing was taken');
  const none = await raw(target, 'GET', '/v1/report', { token: null });
  t.equal(none.status, 401);
  t.equal(none.headers['www-authenticate'], 'Bearer realm="muster-agent"');
  t.equal(none.body.error.code, 'E_AUTH');
  t.equal((await raw(target, 'GET', '/v1/health', { token: null })).status, 200, 'health needs no token');

  const other = await startSimFleet({ nodes: 1, dir: mkdtempSync(join(tmpdir(), 'muster-sim-ca-')), codeRoot: ROOT });
  await other.close();
  t.not(other.caPem, fleet.caPem, 'another state directory, another CA');
  t.match(await getReport({ ...target, ca: other.caPem }, TIMEOUT), { ok: false, kind: 'tls' }, 'a client with another CA does not trust it');
});

t.test('the generation rule, from the client and on the wire', async (t) => {
  const target = fleet.target('sim0002');
  const two: DesiredSet = { generation: 2, containers: [spec('web', 1)] };
  t.same(await putDesired(target, two, TIMEOUT), { ok: true, outcome: 'accepted', generation: 2 });
  t.same(await putDesired(target, two, TIMEOUT), { ok: true, outcome: 'unchanged', generation: 2 }, 'the same set again is a harmless retry');
  const other = { generation: 2, containers: [spec('web', 2)] };
  t.same(await putDesired(target, other, TIMEOUT), { ok: true, outcome: 'stale', generation: 2 }, 'the same generation with other content is refused');
  t.same(await putDesired(target, { generation: 1, containers: [] }, TIMEOUT), { ok: true, outcome: 'stale', generation: 2 }, 'an older one too');
  const wire = await raw(target, 'PUT', '/v1/desired', { body: JSON.stringify({ generation: 1, containers: [] }) });
  t.same([wire.status, wire.body.error.code, wire.body.error.current], [409, 'E_STALE_GENERATION', 2]);
  t.same(await getDesired(target, TIMEOUT), { ok: true, set: two }, 'the set held is still generation 2');
  const three = { generation: 3, containers: [spec('web', 1), spec('api', 1)] };
  t.same(await putDesired(target, three, TIMEOUT), { ok: true, outcome: 'accepted', generation: 3 }, 'a newer one is taken');
  t.same(fleet.desired('sim0002'), three);
  t.equal(fleet.stats().puts.sim0002, 6, 'six sets were offered to that node (one on the wire)');
  t.equal(fleet.stats().accepted.sim0002, 2, 'two were taken');
});

t.test('bad requests are refused as the real agent refuses them', async (t) => {
  const target = fleet.target('sim0003');
  const cases: [string, string, string | undefined, string | undefined, number, string][] = [
    ['PUT', '/v1/desired', '{"generation": -1, "containers": []}', undefined, 400, 'E_SCHEMA'],
    ['PUT', '/v1/desired', '{"generation": 1}', undefined, 400, 'E_SCHEMA'],
    ['PUT', '/v1/desired', '{"generation": 1, "containers": [], "x": 1}', undefined, 400, 'E_SCHEMA'],
    ['PUT', '/v1/desired', JSON.stringify({ generation: 1, containers: [{ name: 'a' }] }), undefined, 400, 'E_SCHEMA'],
    ['PUT', '/v1/desired', JSON.stringify({ generation: 1, containers: [spec('web', 1), spec('web', 1)] }), undefined, 400, 'E_SCHEMA'],
    ['PUT', '/v1/desired', '{"generation": 1,', undefined, 400, 'E_JSON'],
    ['PUT', '/v1/desired', '{"generation": 1, "containers": []}', 'text/plain', 415, 'E_CONTENT_TYPE'],
    ['DELETE', '/v1/desired', undefined, undefined, 405, 'E_METHOD'],
    ['GET', '/v1/nothing', undefined, undefined, 404, 'E_NOT_FOUND'],
    ['GET', '/v1/logs/web', undefined, undefined, 501, 'E_NOT_SIMULATED'],
  ];
  for (const [method, path, body, type, status, code] of cases) {
    const a = await raw(target, method, path, { body, type });
    t.same([a.status, a.body.error.code], [status, code], `${method} ${path} ${body ?? ''} ${type ?? ''}`);
  }
  t.equal((await raw(target, 'DELETE', '/v1/desired')).headers.allow, 'GET, HEAD, PUT', '405 says what is allowed');
  const head = await raw(target, 'HEAD', '/v1/report');
  t.same([head.status, head.body], [200, undefined], 'HEAD answers without a body');
  t.equal((await raw(target, 'POST', '/v1/health', { token: null })).status, 405);
  t.equal((await raw(target, 'GET', '/v1/nothing', { token: null })).status, 401, 'the token is asked for before anything else');
  t.match(
    (await raw(target, 'PUT', '/v1/desired', { body: JSON.stringify({ generation: 1, containers: [spec('web', 1), spec('web', 1)] }) })).body.error,
    { field: 'containers[1].name', message: /unique/ },
    "the agent's own rule names the field",
  );
  t.equal(fleet.desired('sim0003'), null, 'no bad set was taken');
  t.same(await getDesired(target, TIMEOUT), { ok: true, set: null });
  t.same(await setAvailability(target, 'drain', TIMEOUT), { ok: true, availability: 'drain' });
  const report = await getReport(target, TIMEOUT);
  t.match(report, { ok: true, report: { node: { available: false, availability: 'drain' } } }, 'the report says the node is drained');
  t.same(await setAvailability(target, 'active', TIMEOUT), { ok: true, availability: 'active' });
});

t.test('containers run once startDelayMs passed since they were added, not before', async (t) => {
  const target = fleet.target('sim0001');
  await putDesired(target, { generation: 1, containers: [spec('web', 1)] }, TIMEOUT);
  const added = clock;
  const states = async () => {
    const r = await getReport(target, TIMEOUT);
    return r.ok ? r.report.containers.map((c) => [c.name, c.state, c.startedAt ?? null]) : r;
  };
  clock = added + DELAY - 1;
  t.same(await states(), [['shop_web.1.0123abcd', 'created', null]], 'created 1 ms before');
  t.same(fleet.containers('sim0001'), [{ name: 'shop_web.1.0123abcd', image: 'nginx:1.27', state: 'created' }]);
  clock = added + DELAY;
  const startedAt = new Date(added + DELAY).toISOString();
  t.same(await states(), [['shop_web.1.0123abcd', 'running', startedAt]], 'running from startDelayMs on');
  await putDesired(target, { generation: 2, containers: [spec('web', 1), spec('api', 1)] }, TIMEOUT);
  t.same(
    await states(),
    [
      ['shop_web.1.0123abcd', 'running', startedAt],
      ['shop_api.1.0123abcd', 'created', null],
    ],
    'a container kept in the next set keeps running; the new one starts later',
  );
  const r = await getReport(target, TIMEOUT);
  t.match(r, { ok: true, report: { reconcile: { generation: 2, desiredCount: 2, converged: false } } });
  await putDesired(target, { generation: 3, containers: [spec('api', 1)] }, TIMEOUT);
  clock = added + 2 * DELAY;
  t.same(await states(), [['shop_api.1.0123abcd', 'running', new Date(added + 2 * DELAY).toISOString()]], 'a container left out is gone');
  clock = Date.now();
});

t.test('kill refuses connections, freeze times out, revive answers with the same set', async (t) => {
  const target = fleet.target('sim0002');
  const held = fleet.desired('sim0002');
  t.ok(held, 'the node holds a set from the generation test');
  await fleet.kill('sim0002');
  t.equal(fleet.state('sim0002'), 'dead');
  t.match(await getReport(target, TIMEOUT), { ok: false, kind: 'refused' });
  t.equal(await refusedAt(target.port), 'ECONNREFUSED');
  t.ok((await getReport(fleet.target('sim0001'), TIMEOUT)).ok, 'the others still answer');
  await fleet.revive('sim0002');
  t.equal(fleet.state('sim0002'), 'up');
  t.same(await getDesired(target, TIMEOUT), { ok: true, set: held }, 'revived with the set it held');

  await fleet.freeze('sim0002');
  t.equal(fleet.state('sim0002'), 'frozen');
  const start = Date.now();
  t.match(await getReport(target, 300), { ok: false, kind: 'timeout' }, "the client's timeout");
  t.ok(Date.now() - start >= 290, 'only after the timeout');
  t.equal(await refusedAt(target.port), 'connected', 'a frozen node accepts connections');
  await fleet.revive('sim0002');
  t.same(await getDesired(target, TIMEOUT), { ok: true, set: held });
  t.match(await putDesired(target, { generation: 1, containers: [] }, TIMEOUT), { outcome: 'stale' }, 'and the generation it held');
});

t.test('stats count requests per route', async (t) => {
  const before = fleet.stats();
  await getReport(fleet.target('sim0003'), TIMEOUT);
  await getReport(fleet.target('sim0003'), TIMEOUT);
  const after = fleet.stats();
  t.equal(after.requests['GET /v1/report'] - before.requests['GET /v1/report'], 2);
  t.equal(after.requests['PUT /v1/desired'], before.requests['PUT /v1/desired']);
});

t.test('close leaves nothing listening', async (t) => {
  const f = await startSimFleet({ nodes: 2, dir: mkdtempSync(join(tmpdir(), 'muster-sim-close-')), codeRoot: ROOT });
  const ports = f.nodes.map((n) => n.port);
  t.same(await Promise.all(ports.map(refusedAt)), ['connected', 'connected']);
  await f.freeze(f.nodes[0].name);
  const pending = getReport(f.target(f.nodes[0].name), TIMEOUT);
  await new Promise((r) => setTimeout(r, 100)); // connected, and held
  await f.close();
  t.same(await Promise.all(ports.map(refusedAt)), ['ECONNREFUSED', 'ECONNREFUSED']);
  t.match(await pending, { ok: false, kind: 'reset' }, 'a held connection is closed, not left hanging');
});

t.test('default ports start above the ephemeral range and the lab ports, apart for each fleet', async (t) => {
  t.equal(
    defaultBasePort(3, () => 0),
    61000,
  );
  t.equal(
    defaultBasePort(3, () => 0.999999),
    65529,
    'the last start leaves room for the nodes below 65536',
  );
  t.equal(
    defaultBasePort(1000, () => 0.999999),
    63535,
  );
  t.equal(
    defaultBasePort(2267, () => 0.5),
    61001,
    'the biggest fleet that fits',
  );
  t.equal(
    defaultBasePort(2268, () => 0.5),
    20000,
    'a bigger one starts low',
  );
});

t.test('the inventory and the node names', async (t) => {
  const inventory = inventoryYaml([{ name: 'sim0001', port: 20001 }]);
  t.match(inventory, /agents:\n {6}hosts:\n {8}sim0001:\n {10}ansible_host: 127\.0\.0\.1\n {10}muster_agent_port: 20001\n/);
  t.equal(simName(0, 3), 'sim0001');
  t.equal(simName(12344, 20000), 'sim12345', 'more digits for larger fleets');
});
