/**
 * The CLI through the real manager (Manager over a simulated fleet: light agents answering the real agent
 * API), its API served over HTTPS with a certificate and token made as `muster serve` makes them: a deploy is
 * followed until it runs, then scale, ps, nodes, drain, logs and rm, each in this process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type SimFleet, startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { openCa } from '../../../controller/fleet/ca.js';
import { credentialsIn } from '../../../controller/fleet/node-credentials.js';
import { buildManagerApi } from '../../../controller/manager/api/app.js';
import { Manager } from '../../../controller/manager/manager.js';
import { withEnv } from './manager-harness.js';
import { muster } from './run-main.js';

const ROOT = resolve(import.meta.dirname, '../../..');
// above Linux's ephemeral range, apart from the manager-sim test's ports
const SIM_PORTS = 61000 + ((process.pid * 7 + 1999) % 3990);

const dir = mkdtempSync(join(tmpdir(), 'muster-cli-real-manager-'));
const sim: SimFleet = await startSimFleet({ nodes: 3, dir: join(dir, 'state'), startDelayMs: 100, codeRoot: ROOT, images: ['busybox:1'], basePort: SIM_PORTS });
t.teardown(() => sim.close());
const stateDir = sim.env.MUSTER_STATE_DIR;
const manager = await Manager.open({
  inventory: sim.inventory,
  env: { ...process.env, ...sim.env },
  log: () => undefined,
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
// as muster serve does: a certificate from the fleet CA, the token kept in manager/
const { ca } = await openCa(stateDir, { persist: true, now: new Date() });
const { credentials } = await credentialsIn(ca, join(stateDir, 'manager'), 'muster-manager', ['127.0.0.1'], {
  rotateToken: false,
  persist: true,
  now: new Date(),
});
const api = buildManagerApi(manager, { token: credentials.token, https: { key: credentials.keyPem, cert: credentials.certPem } });
await api.listen({ host: '127.0.0.1', port: 0 });
t.teardown(() => api.close());
const url = `https://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
t.teardown(withEnv({ MUSTER_STATE_DIR: stateDir, MUSTER_MANAGER: url, MUSTER_MANAGER_TOKEN: undefined }));

const runningOn = (out: string, node?: string) =>
  out.split('\n').filter((l) => new RegExp(`^app\\s+web\\.\\d+\\s+${node ?? '\\S+'}\\s+running\\s+running`).test(l)).length;

t.test('deploy through the manager: followed until the 6 replicas run, then its ps', async (t) => {
  const file = join(dir, 'app.yml');
  writeFileSync(file, 'name: app\nservices:\n  web:\n    image: busybox:1\n    deploy: { replicas: 6, update_config: { monitor: 0s } }\n');
  const r = await muster('deploy', file, '--timeout', '30');
  t.equal(r.code, 0, r.out);
  t.match(r.out, /manager: stack app version 1 accepted\n/);
  t.match(r.out, / {2}placed app_web\.\d on sim000\d/);
  t.match(r.out, /deploy app: 6\/6 replicas running in \d+\.\ds\n$/);
  t.equal(runningOn(r.out), 6);
});

t.test('ps, services and nodes read the manager', async (t) => {
  const ps = await muster('ps', 'web');
  t.equal(ps.code, 0, ps.out);
  t.equal(runningOn(ps.out), 6);
  const services = await muster('services');
  t.match(services, { code: 0, out: /app\s+web\s+replicated\s+6\/6\s+busybox:1/ });
  const nodes = await muster('nodes');
  t.equal(nodes.code, 0, nodes.out);
  t.equal(nodes.out.split('\n').filter((l) => /^up\s+active\s+sim000\d\s+ok/.test(l)).length, 3);
});

t.test('scale, then drain: the manager moves the replicas; logs through it; rm', async (t) => {
  const scale = await muster('scale', 'web=7', '--timeout', '30');
  t.equal(scale.code, 0, scale.out);
  t.equal(runningOn(scale.out), 7);

  const drain = await muster('node', 'update', '--availability', 'drain', 'sim0001');
  t.equal(drain.code, 0, drain.out);
  t.match(drain.out, /manager: sim0001 is drain/);
  let ps = '';
  for (let i = 0; i < 100; i++) {
    ps = (await muster('ps', 'web')).out;
    if (runningOn(ps, 'sim0001') === 0 && runningOn(ps) === 7) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(runningOn(ps, 'sim0001'), 0, 'none left on the drained node', { ps });
  t.equal(runningOn(ps), 7, 'all 7 run elsewhere');

  const logs = await muster('logs', 'web');
  t.equal(logs.code, 0, logs.out);
  t.match(logs.out, /^web\.\d+@sim\d+ \| \(no logs: .*501/m, 'a line per replica: the simulated agents keep no logs, and the manager says so');

  const rm = await muster('rm', 'app', '--timeout', '30');
  t.equal(rm.code, 0, rm.out);
  t.match(rm.out, /manager: stack app removed \(version \d+\)\napp: no replica left/);
});
