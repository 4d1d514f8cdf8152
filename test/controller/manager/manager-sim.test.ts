/**
 * The manager against a simulated fleet (bench/lib/sim-fleet.mjs: light agents answering the real agent API
 * over verified TLS), fast timings: a deployed stack spreads; a node killed is marked down and its replicas
 * run elsewhere; when it returns its old copies go and exactly the wanted count runs; a frozen node (a
 * partition) heals the same way; scale and drain go through the same loop; the API reads the picture.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type SimFleet, startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { storeStack } from '../../../controller/deploy/history.js';
import { buildManagerApi } from '../../../controller/manager/api/app.js';
import { Manager } from '../../../controller/manager/manager.js';
import { loadStack } from '../../../controller/stack/load.js';
import { sleep, until } from './until.js';

const ROOT = resolve(import.meta.dirname, '../../..');
// above Linux's ephemeral range (32768-60999) and the lab's ports (20000-32000): a killed node's port must
// still be free when it is revived
const SIM_PORTS = 61000 + (process.pid % 4000);

const dir = mkdtempSync(join(tmpdir(), 'muster-manager-sim-'));
const sim: SimFleet = await startSimFleet({ nodes: 4, dir: join(dir, 'state'), startDelayMs: 100, codeRoot: ROOT, images: ['busybox:1'], basePort: SIM_PORTS });
t.teardown(() => sim.close());
const env = { ...process.env, ...sim.env };
const log: string[] = [];
const manager = await Manager.open({
  inventory: sim.inventory,
  env,
  log: (l) => log.push(l),
  pollMs: 150,
  pollTimeoutMs: 300,
  downAfterMs: 700,
  changeTimeoutMs: 10_000,
});
const running = manager.run();
t.teardown(async () => {
  manager.stop();
  await running;
});

/** web replicas each simulated node runs, by slot (`web.3`). */
function webs(): Record<string, string[]> {
  return Object.fromEntries(
    sim.nodes.map((n) => [
      n.name,
      sim
        .containers(n.name)
        .filter((c) => c.state === 'running' && c.name.startsWith('app_web.'))
        .map((c) => c.name.replace(/^app_/, '').replace(/\.[0-9a-f]{8}$/, ''))
        .sort(),
    ]),
  );
}
const count = (w: Record<string, string[]>, except?: string) =>
  Object.entries(w)
    .filter(([n]) => n !== except)
    .reduce((s, [, l]) => s + l.length, 0);
const slots = (w: Record<string, string[]>, except?: string) =>
  Object.entries(w)
    .filter(([n]) => n !== except)
    .flatMap(([, l]) => l)
    .sort();
const wanted = (n: number) => Array.from({ length: n }, (_, i) => `web.${i + 1}`).sort();

const stateOf = (name: string) => manager.nodes().find((n) => n.row.node === name)?.state;

t.test('a deployed stack spreads 2 per node; the loop then changes nothing', async (t) => {
  const file = join(dir, 'app.yml');
  writeFileSync(file, 'name: app\nservices:\n  web:\n    image: busybox:1\n    deploy: { replicas: 8, update_config: { monitor: 0s } }\n');
  const r = await manager.deploy({ stack: storeStack(loadStack(file, { env: {} })), file });
  t.match(r, { ok: true, version: 1 });
  t.ok(await until(5000, () => count(webs()) === 8), '8 run');
  t.same(
    Object.values(webs()).map((l) => l.length),
    [2, 2, 2, 2],
  );
  await manager.settled();
  const changes = manager.figures.changes;
  await sleep(300);
  const { ticks } = manager.figures;
  const polls = sim.stats().notModified;
  await sleep(600);
  t.equal(manager.figures.changes, changes, 'no change while nothing changes');
  t.equal(manager.figures.ticks, ticks, 'and no replan: nothing the plan reads changed');
  t.ok(sim.stats().notModified - polls >= 4 * 3, `the polls found the reports unchanged (${sim.stats().notModified - polls} answers 304)`);
  await manager.setAvailability('sim0001', 'active');
  t.ok(await until(2000, () => manager.figures.ticks > ticks), 'a node read again is planned again');
  t.equal(manager.ps({ stack: 'app' }).filter((p) => p.current === 'running').length, 8, 'ps: 8 running');
  t.same(
    manager.events
      .since(0)
      .filter((e) => e.type === 'deploy')
      .map((e) => (e.type === 'deploy' ? `${e.op} ${e.version} ${e.phase}` : '')),
    ['deploy 1 started', 'deploy 1 done'],
    'the deploy event ends once applied',
  );
});

t.test('a killed node: down, its replicas elsewhere; revived: its copies go, exactly 8', async (t) => {
  await sim.kill('sim0003');
  t.ok(await until(3000, () => stateOf('sim0003') === 'down'), 'down');
  t.ok(await until(5000, () => count(webs(), 'sim0003') === 8), '8 run on the others');
  t.same(slots(webs(), 'sim0003'), wanted(8), 'each slot once');
  const events = manager.events.since(0);
  t.ok(events.some((e) => e.type === 'node-down' && e.node === 'sim0003'));
  t.equal(events.filter((e) => e.type === 'placed' && e.from === 'sim0003').length, 2, 'two placed from sim0003');
  t.equal(sim.containers('sim0003').length, 2, 'the dead node still holds its two (nobody could tell it)');

  await sim.revive('sim0003');
  t.ok(await until(3000, () => stateOf('sim0003') === 'up'), 'up again');
  t.ok(await until(10_000, () => sim.containers('sim0003').length === 0), 'its old copies are removed');
  t.same(slots(webs()), wanted(8), 'exactly 8, each slot once');
  t.match(manager.metrics(), /^muster_failovers_total 2$/m);
});

t.test('a frozen node (a partition) heals the same way', async (t) => {
  await sim.freeze('sim0002');
  t.ok(await until(4000, () => stateOf('sim0002') === 'down'), 'down');
  t.ok(await until(5000, () => count(webs(), 'sim0002') === 8), '8 run on the others', {
    webs: webs(),
    log,
    events: manager.events
      .since(0)
      .filter((e) => e.type !== 'progress')
      .slice(-10),
  });
  const healedAt = Date.now();
  await sim.revive('sim0002');
  t.ok(await until(10_000, () => sim.containers('sim0002').filter((c) => c.name.startsWith('app_web.')).length === 0), 'its copies go after the heal');
  // its replicas went to sim0003, emptied before: containers named as the stale copies sim0003 once held
  const removed = manager.events.since(0).filter((e) => e.type === 'removed' && Date.parse(e.at) >= healedAt);
  t.same([...new Set(removed.map((e) => (e.type === 'removed' ? e.node : '')))], ['sim0002'], 'only the healed node loses replicas');
  t.same(slots(webs()), wanted(8));
});

t.test('scale and drain go through the loop; the API reads the picture', async (t) => {
  t.match(await manager.scale('app', 'web', 10), { ok: true });
  t.ok(await until(5000, () => count(webs()) === 10), 'scaled to 10');
  t.ok(await until(5000, () => manager.events.since(0).some((e) => e.type === 'deploy' && e.op === 'scale' && e.phase === 'done')), 'scale done');
  t.match(await manager.scale('app', 'web', 10), { ok: true });
  t.ok(
    await until(3000, () => manager.events.since(0).filter((e) => e.type === 'deploy' && e.op === 'scale' && e.phase === 'done').length === 2),
    'a scale that changes nothing is done at once',
  );
  t.match(await manager.setAvailability('sim0001', 'drain'), { ok: true });
  t.ok(await until(5000, () => webs().sim0001.length === 0 && count(webs()) === 10), 'drain moves its replicas away', { webs: webs(), log });
  t.match(await manager.scale('app', 'nope', 1), { ok: false, status: 404 });
  t.match(await manager.setAvailability('nope', 'drain'), { ok: false, status: 404 });

  const logs = await manager.logs('app', 'web', 5);
  t.ok(Array.isArray(logs) && logs.length === 10, 'logs: a line per replica from the (log-less) simulated agents', { logs });
  t.match((logs as { text: string }[])[0], { stream: 'stderr', text: /^\(no logs: .*501/ }, "the agent's refusal is said, not hidden");
  t.match(await manager.logs('app', 'nope', 5), { ok: false, status: 404 });

  const api = buildManagerApi(manager, { token: 'a-test-token-of-enough-length' });
  t.teardown(() => api.close());
  const nodes = await api.inject({ method: 'GET', url: '/v1/nodes', headers: { authorization: 'Bearer a-test-token-of-enough-length' } });
  t.equal(nodes.statusCode, 200);
  const body = nodes.json() as { nodes: { row: { node: string }; state: string; availability: string }[] };
  t.same(
    body.nodes.map((n) => [n.row.node, n.state, n.availability]),
    [
      ['sim0001', 'up', 'drain'],
      ['sim0002', 'up', 'active'],
      ['sim0003', 'up', 'active'],
      ['sim0004', 'up', 'active'],
    ],
  );
  const refused = await api.inject({ method: 'GET', url: '/v1/nodes' });
  t.equal(refused.statusCode, 401, 'no token, no answer');
});
