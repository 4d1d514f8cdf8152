/**
 * The manager on heartbeats (a simulated fleet that sends them, bench/lib/sim-heartbeat.mjs): every node is
 * asked at start and then heard by datagram, so reports are read only when their tag changes; a killed node
 * stops sending, is polled, goes down and its replicas run elsewhere; a frozen one the same; revived, it is
 * asked again and heard again. Timings are generous: what they must beat is measured by the benches.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type SimFleet, startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { storeStack } from '../../../controller/deploy/history.js';
import { Manager } from '../../../controller/manager/manager.js';
import { loadStack } from '../../../controller/stack/load.js';
import { sleep, until } from './until.js';

const ROOT = resolve(import.meta.dirname, '../../..');
// above the ephemeral range and the lab's ports, and apart from manager-sim.test.ts's range
const SIM_PORTS = 61000 + ((process.pid + 2000) % 4000);

const dir = mkdtempSync(join(tmpdir(), 'muster-manager-beats-'));
const sim: SimFleet = await startSimFleet({ nodes: 3, dir: join(dir, 'state'), startDelayMs: 100, codeRoot: ROOT, images: ['busybox:1'], basePort: SIM_PORTS });
t.teardown(() => sim.close());
const log: string[] = [];
const manager = await Manager.open({
  inventory: sim.inventory,
  env: { ...process.env, ...sim.env },
  log: (l) => log.push(l),
  pollMs: 250,
  pollTimeoutMs: 400,
  downAfterMs: 1000,
  changeTimeoutMs: 10_000,
  heartbeats: { host: '127.0.0.1', port: 0 },
});
const running = manager.run();
t.teardown(async () => {
  manager.stop();
  await running;
});

const stateOf = (name: string) => manager.nodes().find((n) => n.row.node === name)?.state;
const taken = () => manager.beats.counts.get('taken') ?? 0;
const reportGets = () => sim.stats().requests['GET /v1/report'] ?? 0;
const webs = (except?: string) =>
  sim.nodes
    .filter((n) => n.name !== except)
    .flatMap((n) => sim.containers(n.name).filter((c) => c.state === 'running' && c.name.startsWith('app_web.')))
    .map((c) => c.name.replace(/^app_web\.(\d+)\..*$/, 'web.$1'))
    .sort();
const wanted = Array.from({ length: 6 }, (_, i) => `web.${i + 1}`).sort();

t.test('every node is asked at start; then heard, and its report is read only when it changed', async (t) => {
  t.equal(sim.stats().registrations, 3, 'three registrations before the first round');
  t.ok(await until(3000, () => taken() >= 3 * 4), `heartbeats taken (${taken()})`);
  const gets = reportGets();
  const beats = taken();
  await sleep(1500);
  const heard = taken() - beats;
  t.ok(heard >= 3 * 4, `about 3 nodes x 6 rounds heard (${heard})`);
  t.ok(reportGets() - gets <= 1, `reports read while none changed: ${reportGets() - gets}`);
  t.equal(sim.stats().notModified, 0, 'no 304 either: the nodes were not polled');
});

t.test('a deploy on heartbeats; a killed node goes down and its replicas run elsewhere; revived, it is heard again', async (t) => {
  const file = join(dir, 'app.yml');
  writeFileSync(file, 'name: app\nservices:\n  web:\n    image: busybox:1\n    deploy: { replicas: 6, update_config: { monitor: 0s } }\n');
  t.match(await manager.deploy({ stack: storeStack(loadStack(file, { env: {} })), file }), { ok: true });
  t.ok(await until(10_000, () => webs().length === 6), '6 run');
  await manager.settled();

  const killedAt = Date.now();
  await sim.kill('sim0002');
  t.ok(await until(5000, () => stateOf('sim0002') === 'down'), `down after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
  t.ok(await until(10_000, () => webs('sim0002').length === 6), '6 run on the others');
  t.same(webs('sim0002'), wanted, 'each slot once');

  const before = sim.stats().registrations;
  await sim.revive('sim0002');
  t.ok(await until(5000, () => stateOf('sim0002') === 'up'), 'up again');
  t.ok(await until(5000, () => sim.stats().registrations > before), 'asked again: a revived agent forgot its registration');
  t.ok(await until(3000, () => manager.beats.heard('sim0002', Date.now(), 500) !== undefined), 'and heard again');
  t.ok(
    await until(10_000, () => sim.containers('sim0002').filter((c) => c.name.startsWith('app_web.')).length <= 2 && webs().length === 6),
    'its old copies go',
  );
  t.same(webs(), wanted, 'exactly 6, each slot once');
});

t.test('a frozen node (heartbeats and answers stop) goes down; healed, it is up again', async (t) => {
  await sim.freeze('sim0003');
  t.ok(await until(6000, () => stateOf('sim0003') === 'down'), 'down');
  t.ok(await until(10_000, () => webs('sim0003').length === 6), '6 run on the others');
  await sim.revive('sim0003');
  t.ok(await until(6000, () => stateOf('sim0003') === 'up'), 'up again');
  t.ok(await until(10_000, () => webs().length === 6 && new Set(webs()).size === 6), 'exactly 6 once healed', { log: log.slice(-10) });
});
