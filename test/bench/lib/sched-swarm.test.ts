import t from 'tap';
import { generate } from '../../../bench/lib/sched-gen.mjs';
import { nodeMatches, type SwarmNode, type SwarmService, swarmNodes, swarmSchedule, swarmServices } from '../../../bench/lib/sched-swarm.mjs';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const node = (id: string, more: Partial<SwarmNode> = {}): SwarmNode => ({
  id,
  hostname: id,
  down: false,
  availability: 'active',
  role: 'worker',
  os: 'linux',
  arch: 'amd64',
  labels: {},
  memoryBytes: 4 * GiB,
  nanoCPUs: 4e9,
  ...more,
});

let ix = 0;
const service = (name: string, replicas: number, more: Partial<SwarmService> = {}): SwarmService => ({
  id: `s_${name}`,
  ix: ix++,
  stack: 's',
  name,
  mode: 'replicated',
  replicas,
  reservations: { memoryBytes: 0, nanoCPUs: 0 },
  constraints: [],
  platforms: [],
  preferences: [],
  maxReplicas: 0,
  hostPorts: [],
  ...more,
});

type Result = ReturnType<typeof swarmSchedule>;
/** node -> how many replicas of the service it got */
const spread = (r: Result, id: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const a of r.assignments.filter((a) => a.service === id)) out[a.node] = (out[a.node] ?? 0) + 1;
  return out;
};

t.test('nodes are ordered by tasks of this service, then by tasks in total', async (t) => {
  const web = service('web', 1);
  const other = service('other', 0);
  const nodes = [node('a'), node('b'), node('c')];
  // a: 1 of web; b: 0 of web, 3 others; c: 0 of web, 1 other -> c (fewest of web: b and c; fewer in total: c)
  const running = [{ service: web.id, node: 'a' }, ...['b', 'b', 'b', 'c'].map((n) => ({ service: other.id, node: n }))];
  for (const seed of [1, 2, 3, 4, 5]) t.same(spread(swarmSchedule(nodes, [web, other], { seed, running }), web.id), { c: 1 }, `seed ${seed}`);
  // Two more: c first (it becomes 1 web / 2 total), then b (0 web) before a and c (1 web each).
  t.same(spread(swarmSchedule(nodes, [{ ...web, replicas: 2 }, other], { running }), web.id), { b: 1, c: 1 });
  // Three more: b and c take the first two (no web yet), then a (1 web and 1 in total, against b's 4 and c's 2).
  t.same(spread(swarmSchedule(nodes, [{ ...web, replicas: 3 }, other], { running }), web.id), { a: 1, b: 1, c: 1 });
});

t.test('the first pass fills the best node until the next one is better, then one each in turn', async (t) => {
  const web = service('web', 7);
  const r = swarmSchedule([node('a'), node('b'), node('c')], [web]);
  t.same(Object.values(spread(r, web.id)).sort(), [2, 2, 3]);
  t.same(r.unplaced, []);
});

t.test('resources are reservations only: a limit-only service overcommits a node, as Swarm does', async (t) => {
  const small = [node('pi', { memoryBytes: 1 * GiB, arch: 'arm64' })];
  // Four replicas with a 512 MiB limit and no reservation: Swarm sees no need at all.
  const limited = service('limited', 4);
  const r1 = swarmSchedule(small, [limited]);
  t.same(spread(r1, limited.id), { pi: 4 }, '2 GiB of limits on a 1 GiB node');
  // The same with a 512 MiB reservation: two fit, the other two wait with swarmkit's reason.
  const reserved = service('reserved', 4, { reservations: { memoryBytes: 512 * MiB, nanoCPUs: 0 } });
  const r2 = swarmSchedule(small, [reserved]);
  t.same(spread(r2, reserved.id), { pi: 2 });
  t.same(
    r2.unplaced.map((u) => [u.slot, u.reason]),
    [
      [3, 'no suitable node (insufficient resources on 1 node)'],
      [4, 'no suitable node (insufficient resources on 1 node)'],
    ],
  );
  // Exactly the node's memory fits; one byte more does not.
  t.same(spread(swarmSchedule(small, [service('exact', 1, { reservations: { memoryBytes: GiB, nanoCPUs: 0 } })]), 's_exact'), { pi: 1 });
  t.equal(swarmSchedule(small, [service('over', 1, { reservations: { memoryBytes: GiB + 1, nanoCPUs: 0 } })]).unplaced.length, 1);
  // CPUs likewise.
  t.equal(swarmSchedule(small, [service('cpu', 5, { reservations: { memoryBytes: 0, nanoCPUs: 1e9 } })]).unplaced.length, 1, '4 of 1 CPU on 4 CPUs');
});

t.test('filters: ready and active, constraints, platform, host ports, max replicas per node', async (t) => {
  const nodes = [
    node('down', { down: true }),
    node('drained', { availability: 'drain' }),
    node('paused', { availability: 'pause' }),
    node('pi', { arch: 'arm/v7', labels: { disk: 'sd' } }),
    node('nuc', { labels: { disk: 'ssd' } }),
    node('pc', { labels: { disk: 'hdd' } }),
  ];
  const db = service('db', 2, { constraints: [{ key: 'node.labels.disk', op: '==', value: 'SSD' }] });
  const r1 = swarmSchedule(nodes, [db]);
  t.same(spread(r1, db.id), { nuc: 2 }, 'constraint values compare case-insensitively; not-ready nodes take nothing');
  const amd = service('amd', 4, { platforms: [{ os: 'linux', arch: 'amd64' }], maxReplicas: 1 });
  const r2 = swarmSchedule(nodes, [amd]);
  t.same(spread(r2, amd.id), { nuc: 1, pc: 1 });
  // swarmkit's pipeline forgets its counts whenever a node passes: the reason speaks only of the last round.
  t.same(
    r2.unplaced.map((u) => u.reason),
    ['no suitable node (max replicas per node limit exceed)', 'no suitable node (max replicas per node limit exceed)'],
  );
  const arm = swarmSchedule(nodes, [service('arm', 1, { platforms: [{ os: 'linux', arch: 'arm64' }] })]);
  t.same(
    arm.unplaced.map((u) => u.reason),
    ['no suitable node (3 nodes not available for new tasks; unsupported platform on 3 nodes)'],
    'most failures first',
  );
  const ingress = service('ingress', 4, { hostPorts: [{ port: 443, protocol: 'tcp' }] });
  const r3 = swarmSchedule(nodes, [ingress]);
  t.same(Object.keys(spread(r3, ingress.id)).sort(), ['nuc', 'pc', 'pi']);
  t.equal(r3.unplaced.length, 1);
  t.match(r3.unplaced[0].reason, /host-mode port already in use on 3 nodes/);
});

t.test('spread preferences split the replicas evenly over the label values, not over the nodes', async (t) => {
  const nodes = [
    node('a1', { labels: { zone: 'a' } }),
    node('a2', { labels: { zone: 'a' } }),
    node('a3', { labels: { zone: 'a' } }),
    node('b1', { labels: { zone: 'b' } }),
    node('none'),
  ];
  const web = service('web', 6, { preferences: ['node.labels.zone'] });
  const r = swarmSchedule(nodes, [web]);
  const got = spread(r, web.id);
  t.equal(got.b1, 2, 'zone b has one node, which takes a third');
  t.equal(got.none, 2, 'nodes without the label are a value of their own ("")');
  t.equal((got.a1 ?? 0) + (got.a2 ?? 0) + (got.a3 ?? 0), 2);
});

t.test('global services: one task per up, active node meeting the constraints, checked on that node', async (t) => {
  const nodes = [node('a'), node('b', { memoryBytes: 32 * MiB }), node('c', { availability: 'drain' }), node('d', { labels: { disk: 'sd' } })];
  const exporter = service('exporter', 0, { mode: 'global', reservations: { memoryBytes: 64 * MiB, nanoCPUs: 0 } });
  const shipper = service('shipper', 0, { mode: 'global', constraints: [{ key: 'node.labels.disk', op: '!=', value: 'sd' }] });
  const r = swarmSchedule(nodes, [exporter, shipper]);
  t.same(spread(r, exporter.id), { a: 1, d: 1 });
  t.same(
    r.unplaced.map((u) => [u.service, u.node, u.reason]),
    [[exporter.id, 'b', 'insufficient resources on 1 node']],
  );
  t.same(spread(r, shipper.id), { a: 1, b: 1 });
  t.ok(
    r.assignments.every((a) => a.slot === 0),
    'slot 0',
  );
});

t.test('what docker stack deploy hands swarmkit, and what swarmkit knows of the nodes', async (t) => {
  const input = generate({ seed: 5, nodes: 30, replicas: 300 });
  const services = swarmServices(input.stacks, input.imagePlatforms);
  const all = input.stacks.flatMap((st) => st.services.map((s) => ({ st, s })));
  t.equal(services.length, all.length);
  all.forEach(({ st, s }, i) => {
    const w = services[i];
    if (w.id !== `${st.name}_${s.name}` || w.ix !== i) t.fail(`${w.id}: id or number`);
    if (w.reservations.memoryBytes !== (s.deploy.reservations.memoryBytes ?? 0)) t.fail(`${w.id}: the reservation is what Swarm sees`);
    if (w.platforms.length !== input.imagePlatforms[s.image].length) t.fail(`${w.id}: platforms`);
  });
  const limitOnly = all.findIndex(({ s }) => s.deploy.limits.memoryBytes && !s.deploy.reservations.memoryBytes);
  t.equal(services[limitOnly].reservations.memoryBytes, 0, 'a limit-only service asks Swarm for nothing');
  t.same(services.find((s) => s.platforms.length === 3)!.platforms, [
    { os: 'linux', arch: 'amd64' },
    { os: 'linux', arch: 'arm64' },
    { os: 'linux', arch: 'arm/v7' },
  ]);
  const nodes = swarmNodes(input.nodes, input.hardware);
  nodes.forEach((n, i) => {
    const v = input.nodes[i];
    if (n.memoryBytes !== input.hardware[v.name].totalBytes) t.fail(`${n.id}: Swarm sees the total memory`);
    if (n.memoryBytes <= v.memory.allocatableBytes) t.fail(`${n.id}: more than muster's allocatable`);
    if (n.down === v.ready) t.fail(`${n.id}: down is not ready`);
  });
  t.ok(nodeMatches([{ key: 'node.role', op: '==', value: 'WORKER' }], nodes.find((n) => n.role === 'worker')!), 'roles compare case-insensitively');
  t.notOk(nodeMatches([{ key: 'engine.labels.x', op: '!=', value: 'y' }], nodes[0]), 'an unmodelled key matches nothing');
});

t.test('the same seed gives the same placement; all 10,000 replicas of the bench input are decided', async (t) => {
  const input = generate({ seed: 1 });
  const nodes = swarmNodes(input.nodes, input.hardware);
  const services = swarmServices(input.stacks, input.imagePlatforms);
  const a = swarmSchedule(nodes, services, { seed: 1 });
  t.same(swarmSchedule(nodes, services, { seed: 1 }), a);
  t.equal(a.assignments.length + a.unplaced.length, 10_000);
  const names = new Set(nodes.filter((n) => !n.down && n.availability === 'active').map((n) => n.id));
  t.ok(
    a.assignments.every((x) => names.has(x.node)),
    'only on ready, active nodes',
  );
  t.throws(() => swarmSchedule(nodes, services, { running: [{ service: 'nope', node: nodes[0].id }] }), /no such service/);
});

t.test("on random inputs every placement passes Swarm's filters at the end of the run", async (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const input = generate({ seed, nodes: 60, replicas: 900 });
    const nodes = swarmNodes(input.nodes, input.hardware);
    const services = swarmServices(input.stacks, input.imagePlatforms);
    const r = swarmSchedule(nodes, services, { seed });
    t.equal(r.assignments.length + r.unplaced.length, 900, `seed ${seed}: every replica decided`);
    const nodeOf = new Map(nodes.map((n) => [n.id, n]));
    const serviceOf = new Map(services.map((s) => [s.id, s]));
    const use = new Map<string, { mem: number; cpu: number; ports: string[]; of: Map<string, number> }>();
    const problems: string[] = [];
    for (const a of r.assignments) {
      const n = nodeOf.get(a.node)!;
      const s = serviceOf.get(a.service)!;
      const u = use.get(n.id) ?? { mem: 0, cpu: 0, ports: [] as string[], of: new Map<string, number>() };
      use.set(n.id, u);
      u.mem += s.reservations.memoryBytes;
      u.cpu += s.reservations.nanoCPUs;
      u.ports.push(...s.hostPorts.map((p) => `${p.protocol}/${p.port}`));
      u.of.set(s.id, (u.of.get(s.id) ?? 0) + 1);
      if (n.down || n.availability !== 'active') problems.push(`${a.service} on ${n.id}: not ready or not active`);
      if (!nodeMatches(s.constraints, n)) problems.push(`${a.service} on ${n.id}: constraints`);
      if (s.platforms.length && !s.platforms.some((p) => p.arch === n.arch)) problems.push(`${a.service} on ${n.id}: platform`);
      if (s.mode === 'global' && a.slot !== 0) problems.push(`${a.service}: a global replica with slot ${a.slot}`);
    }
    for (const [id, u] of use) {
      const n = nodeOf.get(id)!;
      if (u.mem > n.memoryBytes || u.cpu > n.nanoCPUs) problems.push(`${id}: reservations above the node's total`);
      if (new Set(u.ports).size !== u.ports.length) problems.push(`${id}: a host port twice`);
      for (const [sid, k] of u.of) {
        const s = serviceOf.get(sid)!;
        if (s.maxReplicas && k > s.maxReplicas) problems.push(`${id}: ${k} of ${sid}, max ${s.maxReplicas}`);
        if (s.mode === 'global' && k > 1) problems.push(`${id}: ${k} of the global ${sid}`);
      }
    }
    t.same(problems, [], `seed ${seed}`);
  }
});
