import t from 'tap';
import { measureUsage, parseMeasureArgs, parseServeArgs, serveUsage } from '../../../bench/lib/sim-args.mjs';
import { parseControl, runControl } from '../../../bench/lib/sim-control.mjs';
import type { SimFleet } from '../../../bench/lib/sim-fleet.mjs';

t.test('sim-serve options', async (t) => {
  t.same(parseServeArgs([]), { nodes: 1000, dir: undefined, seed: 1, startDelayMs: 0, basePort: undefined, images: [], help: false });
  t.same(parseServeArgs(['--nodes', '20', '--dir=/tmp/f', '--seed', '0', '--start-delay-ms', '1500', '--base-port', '1024', '--images', 'a:1, b:2']), {
    nodes: 20,
    dir: '/tmp/f',
    seed: 0,
    startDelayMs: 1500,
    basePort: 1024,
    images: ['a:1', 'b:2'],
    help: false,
  });
  t.equal(parseServeArgs(['--base-port', '65535']).basePort, 65535);
  t.throws(() => parseServeArgs(['--nodes', '0']), /--nodes takes an integer from 1/);
  t.throws(() => parseServeArgs(['--base-port', '1023']), /--base-port takes an integer from 1024 to 65535/);
  t.throws(() => parseServeArgs(['--base-port', '65536']), /--base-port/);
  t.throws(() => parseServeArgs(['--dir']), /--dir takes a directory/);
  t.throws(() => parseServeArgs(['--bogus']), /unknown option --bogus/);
  t.match(serveUsage, /sim-serve\.mjs/);
});

t.test('sim-measure options', async (t) => {
  t.same(parseMeasureArgs([]), { nodes: 1000, seconds: 10, concurrency: 32, replicasPerNode: 10, json: false, help: false });
  t.same(parseMeasureArgs(['--nodes=50', '--seconds', '2', '--concurrency', '8', '--replicas-per-node', '0', '--json']), {
    nodes: 50,
    seconds: 2,
    concurrency: 8,
    replicasPerNode: 0,
    json: true,
    help: false,
  });
  t.throws(() => parseMeasureArgs(['--seconds', '0']), /--seconds takes an integer from 1/);
  t.throws(() => parseMeasureArgs(['--concurrency', '1001']), /--concurrency/);
  t.match(measureUsage, /sim-measure\.mjs/);
});

t.test('control lines', async (t) => {
  t.same(parseControl('kill sim0001 sim0002'), { verb: 'kill', names: ['sim0001', 'sim0002'] });
  t.same(parseControl('  stats  '), { verb: 'stats', names: [] });
  t.same(parseControl('containers sim0003'), { verb: 'containers', names: ['sim0003'] });
  t.match(parseControl('explode sim0001'), { error: /unknown command "explode"/ });
  t.match(parseControl('freeze'), { error: /freeze takes node names/ });
  t.match(parseControl('containers a b'), { error: /takes one node name/ });
  t.match(parseControl('stats now'), { error: /takes no argument/ });
});

t.test('control commands act on the fleet and answer in JSON', async (t) => {
  const done: string[] = [];
  const fleet = {
    kill: async (n: string) => void done.push(`kill ${n}`),
    freeze: async (n: string) => void done.push(`freeze ${n}`),
    revive: async (n: string) => {
      if (n === 'nope') throw new Error('no simulated node nope');
      done.push(`revive ${n}`);
    },
    state: (n: string) => (n === 'a' ? 'dead' : 'up'),
    containers: () => [{ name: 'x', image: 'i', state: 'running' }],
    stats: () => ({ requests: { 'GET /v1/report': 3 }, puts: {}, accepted: {}, collected: 1, notModified: 2 }),
    close: async () => void done.push('close'),
  } as unknown as SimFleet;
  t.same(await runControl(fleet, { verb: 'kill', names: ['a', 'b'] }), { ok: true, kill: ['a', 'b'] });
  t.same(await runControl(fleet, { verb: 'state', names: ['a', 'b'] }), { ok: true, state: { a: 'dead', b: 'up' } });
  t.same(await runControl(fleet, { verb: 'containers', names: ['a'] }), { ok: true, containers: [{ name: 'x', image: 'i', state: 'running' }] });
  t.same(await runControl(fleet, { verb: 'stats', names: [] }), {
    ok: true,
    requests: { 'GET /v1/report': 3 },
    puts: {},
    accepted: {},
    collected: 1,
    notModified: 2,
  });
  t.same(await runControl(fleet, { verb: 'revive', names: ['nope'] }), { ok: false, error: 'no simulated node nope' });
  t.same(await runControl(fleet, { verb: 'close', names: [] }), { ok: true, closed: true });
  t.same(done, ['kill a', 'kill b', 'close']);
});
