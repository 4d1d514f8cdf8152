/**
 * The manager on heartbeats reads a report when the state it names changed, and refreshes the readings that
 * drift (memory in use, load) at its own pace, not each time they move: simulated agents whose readings
 * change every 100 ms, a manager refreshing them every 3 s.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type SimFleet, startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { agentRequest } from '../../../controller/fleet/agent-request.js';
import { Manager } from '../../../controller/manager/manager.js';
import { REFRESH_MIN_MS, REFRESHES_PER_S, refreshMs } from '../../../controller/manager/watch.js';
import { sleep, until } from './until.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const REFRESH_MS = 3000;
const NODES = 3;

t.test('the refresh pace: at least REFRESH_MIN_MS, and REFRESHES_PER_S reports a second past 200 nodes', async (t) => {
  t.equal(REFRESH_MIN_MS, 10_000);
  t.equal(REFRESHES_PER_S, 20);
  t.equal(refreshMs(3), 10_000, 'a home lab: every 10 s');
  t.equal(refreshMs(200), 10_000, '200 nodes: still 10 s (20 a second)');
  t.equal(refreshMs(201), 10_050, 'past 200: 20 a second');
  t.equal(refreshMs(1000), 50_000, '1,000 nodes: every 50 s');
  t.equal(refreshMs(3, 500), 500, 'a shorter minimum when asked');
});

const dir = mkdtempSync(join(tmpdir(), 'muster-manager-refresh-'));
const sim: SimFleet = await startSimFleet({ nodes: NODES, dir: join(dir, 'state'), startDelayMs: 100, reportIntervalMs: 100, codeRoot: ROOT });
t.teardown(() => sim.close());
const manager = await Manager.open({
  inventory: sim.inventory,
  env: { ...process.env, ...sim.env },
  log: () => {},
  pollMs: 250,
  pollTimeoutMs: 400,
  downAfterMs: 1000,
  heartbeats: { host: '127.0.0.1', port: 0 },
  refreshMinMs: REFRESH_MS,
});
const running = manager.run();
t.teardown(async () => {
  manager.stop();
  await running;
});

const reportGets = () => sim.stats().requests['GET /v1/report'] ?? 0;
const taken = () => manager.beats.counts.get('taken') ?? 0;
const ages = () => manager.nodes().map((n) => (n.row.status === 'ok' ? n.row.reportAgeS : Infinity));

t.test('readings that drift are refreshed at the pace asked, not each time they move', async (t) => {
  t.ok(await until(5000, () => taken() >= NODES * 4), `heartbeats taken (${taken()})`);
  const gets = reportGets();
  const window = 2.5 * REFRESH_MS;
  let oldest = 0;
  for (const end = Date.now() + window; Date.now() < end; ) {
    await sleep(250);
    oldest = Math.max(oldest, ...ages());
  }
  const read = reportGets() - gets;
  // polled on every change of their tag, 3 nodes would be read about 4 times a second each (90 times)
  t.ok(read >= NODES, `every node refreshed in ${window / 1000} s (${read} reads)`);
  t.ok(read <= NODES * 5, `and not much more often than every ${REFRESH_MS / 1000} s (${read} reads)`);
  t.ok(oldest <= REFRESH_MS / 1000 + 2, `no report older than the pace and a round or two (${oldest} s)`);
});

t.test('a change of state is read at once, well within the refresh pace', async (t) => {
  const target = sim.target('sim0001');
  const drained = await agentRequest(target, 'POST', '/v1/availability', 2000, { availability: 'drain' });
  t.equal(drained.ok && drained.status, 200, 'drained on the agent');
  const at = Date.now();
  const seen = await until(REFRESH_MS / 2, () => manager.nodes().find((n) => n.row.node === 'sim0001')?.availability === 'drain');
  t.ok(seen, `the manager saw it after ${((Date.now() - at) / 1000).toFixed(1)} s`);
});
