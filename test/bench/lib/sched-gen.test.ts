import t from 'tap';
import { AGENT_BYTES, generate, globalTargets, MODELS, memoryOf, meetsConstraints, parseConstraint, RESERVE_BYTES } from '../../../bench/lib/sched-gen.mjs';
import { between, pick, seeded, shuffled } from '../../../bench/lib/sched-random.mjs';

const MiB = 2 ** 20;
const input = generate({ seed: 1 });
const services = input.stacks.flatMap((st) => st.services);
const replicated = services.filter((s) => s.deploy.mode === 'replicated');
const globals = services.filter((s) => s.deploy.mode === 'global');

t.test('the random source is repeatable and in range', async (t) => {
  const a = seeded(42);
  const b = seeded(42);
  const xs = Array.from({ length: 1000 }, () => a());
  t.same(
    xs,
    Array.from({ length: 1000 }, () => b()),
    'same seed, same numbers',
  );
  t.ok(
    xs.every((x) => x >= 0 && x < 1),
    'in [0, 1)',
  );
  t.not(seeded(43)(), seeded(42)(), 'another seed, other numbers');
  const r = seeded(7);
  const ints = Array.from({ length: 2000 }, () => between(r, 2, 4));
  t.same([...new Set(ints)].sort(), [2, 3, 4], 'between includes both ends and nothing else');
  const picks = Array.from({ length: 2000 }, () =>
    pick(r, [
      [0, 'never'],
      [1, 'a'],
      [3, 'b'],
    ]),
  );
  t.notOk(picks.includes('never'), 'a zero weight is never picked');
  const bs = picks.filter((p) => p === 'b').length / picks.length;
  t.ok(bs > 0.7 && bs < 0.8, `weights are honoured (${bs})`);
  t.same(shuffled(r, [1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5], 'a shuffle keeps the items');
});

t.test('the same seed gives the same input; another seed another one', async (t) => {
  t.same(generate({ seed: 1 }), input);
  const other = generate({ seed: 2 });
  t.not(JSON.stringify(other.stacks), JSON.stringify(input.stacks));
  t.equal(other.nodes.length, 1000);
});

t.test('1,000 nodes of the home-lab/edge mix', async (t) => {
  t.equal(input.nodes.length, 1000);
  t.equal(new Set(input.nodes.map((n) => n.name)).size, 1000, 'names are unique');
  const byModel: Record<string, number> = {};
  for (const n of input.nodes) byModel[input.hardware[n.name].model] = (byModel[input.hardware[n.name].model] ?? 0) + 1;
  for (const m of MODELS) t.equal(byModel[m.model], Math.round(m.share * 1000), `${m.model}: its share`);
  const archOf = (model: string) => new Set(input.nodes.filter((n) => input.hardware[n.name].model === model).map((n) => n.arch));
  t.same([...archOf('pi3')], ['arm/v7']);
  t.same([...archOf('pi4-4g')], ['arm64']);
  t.same([...archOf('nuc-16g')], ['amd64']);
  for (const n of input.nodes) {
    const hw = input.hardware[n.name];
    const docker = hw.baselineBytes - AGENT_BYTES - (hw.k3s ? 250 * MiB : 0);
    if (docker < 80 * MiB || hw.baselineBytes > 150 * MiB + 290 * MiB + AGENT_BYTES) t.fail(`${n.name}: baseline ${hw.baselineBytes / MiB} MiB out of range`);
    if (n.memory.allocatableBytes !== Math.max(0, hw.totalBytes - hw.baselineBytes - RESERVE_BYTES))
      t.fail(`${n.name}: allocatable is not total - baseline - reserve`);
  }
  t.ok(
    input.nodes.some((n) => input.hardware[n.name].k3s),
    'some nodes run k3s',
  );
  t.ok(
    input.nodes.filter((n) => input.hardware[n.name].k3s).every((n) => input.hardware[n.name].baselineBytes >= 250 * MiB + 80 * MiB + AGENT_BYTES),
    'k3s adds its ~270 MB',
  );
  const unenforced = input.nodes.filter((n) => !n.memory.enforced);
  t.ok(unenforced.length > 100 && unenforced.length < 300, `some nodes do not enforce memory limits (${unenforced.length})`);
  t.ok(
    unenforced.every((n) => input.hardware[n.name].model.startsWith('pi') && n.memory.fix),
    'only Pis, each with the fix',
  );
  t.ok(
    input.nodes.every((n) => n.labels.disk),
    'every node has a disk label',
  );
  const zones = new Set(input.nodes.map((n) => n.labels.zone));
  t.same([...zones].sort(), ['z1', 'z2', 'z3', 'z4', 'z5', undefined].sort(), 'zones z1..z5, and a few nodes without one');
  t.ok(
    input.nodes.some((n) => !n.ready) && input.nodes.some((n) => n.availability === 'drain') && input.nodes.some((n) => n.availability === 'pause'),
    'some nodes are down, drained or paused',
  );
  t.ok(
    input.nodes.every((n) => n.overcommit === 1),
    'no node opts into overcommit',
  );
  t.equal(input.nodes.filter((n) => n.role === 'manager').length, 5);
});

t.test('10,000 replicas of the mixed services', async (t) => {
  const globalCount = globals.reduce((n, s) => n + globalTargets(input.nodes, s).length, 0);
  t.equal(input.wanted.global, globalCount);
  t.equal(replicated.reduce((n, s) => n + s.deploy.replicas, 0) + globalCount, 10_000, 'exactly the replicas asked for');
  t.equal(globals.length, 3, 'a few global services');
  const has = (what: string, f: (s: (typeof services)[number]) => boolean, min: number) => {
    const n = replicated.filter(f).length;
    t.ok(n >= min, `${what}: ${n} services`);
  };
  has('with a memory reservation', (s) => s.deploy.reservations.memoryBytes !== undefined, 100);
  has('with a memory limit only', (s) => s.deploy.limits.memoryBytes !== undefined && s.deploy.reservations.memoryBytes === undefined, 100);
  has('with neither', (s) => memoryOf(s) === 0, 50);
  has('with constraints', (s) => s.deploy.constraints.length > 0, 50);
  has('with max_replicas_per_node', (s) => s.deploy.maxReplicasPerNode !== undefined, 50);
  has('spread on zone', (s) => s.deploy.spread.includes('node.labels.zone'), 50);
  has('publishing a host port', (s) => s.ports.length > 0, 10);
  for (const st of input.stacks) {
    const names = st.services.map((s) => s.name);
    if (names.join() !== [...names].sort().join()) t.fail(`${st.name}: services not sorted`);
    if (new Set(names).size !== names.length) t.fail(`${st.name}: a service name twice`);
    if (!st.networks.default) t.fail(`${st.name}: no default network`);
  }
  t.ok(
    services.every((s) => input.imagePlatforms[s.image]?.length),
    'every image has known platforms',
  );
});

t.test('constraints as the stack loader parses them, matched as both schedulers read them', async (t) => {
  t.same(parseConstraint('node.labels.disk==ssd'), { key: 'node.labels.disk', op: '==', value: 'ssd', text: 'node.labels.disk==ssd' });
  t.same(parseConstraint('node.platform.arch != amd64'), { key: 'node.platform.arch', op: '!=', value: 'amd64', text: 'node.platform.arch != amd64' });
  t.throws(() => parseConstraint('disk'), /not a constraint/);
  const node = input.nodes.find((n) => n.labels.disk === 'ssd' && n.arch === 'amd64')!;
  const c = (text: string) => [parseConstraint(text)];
  t.ok(meetsConstraints(node, c('node.labels.disk==ssd')));
  t.notOk(meetsConstraints(node, c('node.labels.disk!=ssd')));
  t.notOk(meetsConstraints(node, c('node.labels.nothere==x')), 'a missing label is ""');
  t.ok(meetsConstraints(node, c('node.labels.nothere!=x')));
  t.notOk(meetsConstraints(node, c('node.bogus==x')), 'an unknown key matches nothing');
  t.ok(meetsConstraints(node, [...c('node.platform.arch==amd64'), ...c(`node.hostname==${node.hostname}`)]));
});

t.test('small inputs; an input too small for its global services is refused', async (t) => {
  const small = generate({ seed: 3, nodes: 20, replicas: 100 });
  t.equal(small.nodes.length, 20);
  t.equal(small.wanted.global + small.wanted.replicated, 100);
  t.throws(() => generate({ seed: 3, nodes: 20, replicas: 5 }), /leave none for replicated services/);
});
