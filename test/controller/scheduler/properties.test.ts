/** Property tests on random clusters and stacks: capacity, constraints, determinism, stability, locality. */
import fc from 'fast-check';
import t from 'tap';
import { applyPlan } from '../../../controller/scheduler/apply.js';
import { tick } from '../../../controller/scheduler/tick.js';
import type { NodeView, Plan, Snapshot } from '../../../controller/scheduler/types.js';
import { wantOf } from '../../../controller/scheduler/want.js';
import type { Stack } from '../../../controller/stack/types.js';
import { node, options, service, snapshot, stack } from './build.js';

const RUNS = Number(process.env.MUSTER_PROPERTY_RUNS ?? 300);
const CONSTRAINTS = ['node.labels.zone==a', 'node.labels.zone!=a', 'node.labels.disk==ssd', 'node.platform.arch==arm64', 'node.role!=manager'];

const nodeArb = fc.record({
  mem: fc.integer({ min: 0, max: 2048 }),
  cpus: fc.integer({ min: 0, max: 8 }),
  overcommit: fc.constantFrom(1, 1, 1.5),
  ready: fc.constantFrom(true, true, true, false),
  availability: fc.constantFrom('active', 'active', 'active', 'pause', 'drain'),
  zone: fc.constantFrom('a', 'b', undefined),
  disk: fc.constantFrom('ssd', undefined),
  arch: fc.constantFrom('amd64', 'arm64'),
  role: fc.constantFrom('worker', 'manager'),
  enforced: fc.constantFrom(true, true, false),
  volume: fc.boolean(),
});
const serviceArb = fc.record({
  replicas: fc.integer({ min: 0, max: 6 }),
  global: fc.constantFrom(false, false, false, true),
  reserveMem: fc.option(fc.integer({ min: 0, max: 700 }), { nil: undefined }),
  limitMem: fc.option(fc.integer({ min: 1, max: 700 }), { nil: undefined }),
  reserveCpus: fc.constantFrom(undefined, 0.5, 1, 2),
  constraints: fc.subarray(CONSTRAINTS, { maxLength: 2 }),
  spread: fc.constantFrom([], [], ['node.labels.zone']),
  maxPerNode: fc.constantFrom(undefined, 1, 2),
  ports: fc.constantFrom([], [], [80]),
  volume: fc.constantFrom(false, false, true),
  image: fc.constantFrom('any:1', 'arm-only:1'),
});
const clusterArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 7 }),
  stacks: fc.array(fc.array(serviceArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 2 }),
});

/** The random draw as scheduler input. */
function build(c: { nodes: any[]; stacks: any[][] }): { snap: Snapshot; stacks: Stack[] } {
  const nodes: NodeView[] = c.nodes.map((n: any, i: number) =>
    node(`n${i}`, {
      mem: n.mem,
      cpus: n.cpus,
      overcommit: n.overcommit,
      ready: n.ready,
      availability: n.availability,
      labels: { ...(n.zone ? { zone: n.zone } : {}), ...(n.disk ? { disk: n.disk } : {}) },
      arch: n.arch,
      role: n.role,
      enforced: n.enforced,
      volumes: n.volume ? ['s0_vol'] : [],
    }),
  );
  const stacks = c.stacks.map((services: any[], si: number) =>
    stack(
      `s${si}`,
      services.map((o: any, vi: number) => service(`v${vi}`, { ...o, ports: o.ports, volumes: o.volume ? [`s${si}_vol`] : [] })),
    ),
  );
  return { snap: snapshot(nodes, { 'arm-only:1': ['linux/arm64'] }), stacks };
}

const wants = (stacks: Stack[]) => new Map(stacks.flatMap((s) => s.services.map((v) => [`${s.name}_${v.name}`, { w: wantOf(s, v), v }] as const)));

function holds(n: NodeView, text: string): boolean {
  const [key, value] = text.split(/==|!=/);
  const have = key === 'node.platform.arch' ? n.arch : key === 'node.role' ? n.role : n.labels[key.replace('node.labels.', '')];
  return text.includes('==') ? have === value : have !== value;
}

const property = (name: string, check: (c: { snap: Snapshot; stacks: Stack[] }) => void) =>
  t.test(name, async (t) => {
    fc.assert(
      fc.property(clusterArb, (raw) => check(build(raw as any))),
      { numRuns: RUNS, seed: Number(process.env.MUSTER_PROPERTY_SEED ?? 42) },
    );
    t.pass(`${RUNS} random clusters`);
  });

property('no node is ever over allocatable x overcommit in reservations, nor gets what it must refuse', ({ snap, stacks }) => {
  const plan = tick(stacks, snap, { replicas: [] }, options());
  const by = wants(stacks);
  for (const n of snap.nodes) {
    const mine = plan.assignments.filter((a) => a.node === n.name).map((a) => by.get(`${a.stack}_${a.service}`)!);
    const mem = mine.reduce((s, x) => s + x.w.memoryBytes, 0);
    const cpu = mine.reduce((s, x) => s + x.w.cpus, 0);
    if (mine.some((x) => x.w.memoryBytes > 0)) assertTrue(mem <= n.memory.allocatableBytes * n.overcommit, `memory on ${n.name}`);
    if (mine.some((x) => x.w.cpus > 0)) assertTrue(cpu <= n.cpus.allocatable * n.overcommit + 1e-9, `CPU on ${n.name}`);
    if (mine.length) assertTrue(n.ready && n.availability === 'active', `${n.name} takes work`);
    if (!n.memory.enforced)
      assertTrue(
        mine.every((x) => !x.w.memoryLimited),
        `no memory limit on ${n.name}`,
      );
    const ports = mine.flatMap((x) => x.w.ports);
    assertTrue(new Set(ports).size === ports.length, `ports unique on ${n.name}`);
    for (const [k, x] of by) {
      const here = mine.filter((y) => y.w.key === k).length;
      if (x.w.maxPerNode !== undefined) assertTrue(here <= x.w.maxPerNode, `max per node of ${k} on ${n.name}`);
      if (x.w.global) assertTrue(here <= 1, `one ${k} on ${n.name}`);
    }
  }
});

property('replicas of stacks not given stay and keep their room', ({ snap, stacks }) => {
  if (stacks.length < 2) return;
  const [first, ...rest] = stacks;
  const before = applyPlan(tick([first], snap, { replicas: [] }, options()), [first], { replicas: [] }, options());
  const plan = tick(rest, snap, before, options());
  const current = applyPlan(plan, rest, before, options());
  assertTrue(
    before.replicas.every((r) => current.replicas.includes(r)),
    'the other stack untouched',
  );
  for (const n of snap.nodes) {
    const mine = current.replicas.filter((r) => r.node === n.name);
    const mem = mine.reduce((s, r) => s + r.memoryReservationBytes, 0);
    const placed = plan.assignments.filter((a) => a.node === n.name && a.action !== 'keep');
    if (placed.length && mine.some((r) => r.memoryReservationBytes > 0 && r.stack !== first.name))
      assertTrue(mem <= n.memory.allocatableBytes * n.overcommit, `memory on ${n.name} with the other stack`);
  }
});

property('constraints and image platforms always hold', ({ snap, stacks }) => {
  const plan = tick(stacks, snap, { replicas: [] }, options());
  const by = wants(stacks);
  for (const a of plan.assignments) {
    const n = snap.nodes.find((x) => x.name === a.node)!;
    const { w } = by.get(`${a.stack}_${a.service}`)!;
    for (const c of w.constraints) assertTrue(holds(n, c.text), `${c.text} on ${n.name}`);
    if (w.image === 'arm-only:1') assertTrue(n.arch === 'arm64', `arm-only on ${n.name}`);
  }
});

property('the same input gives the same plan, whatever the order of the nodes', ({ snap, stacks }) => {
  const a = tick(stacks, snap, { replicas: [] }, options());
  const b = tick(stacks, snap, { replicas: [] }, options());
  const c = tick(stacks, { ...snap, nodes: [...snap.nodes].reverse() }, { replicas: [] }, options());
  assertTrue(JSON.stringify(a) === JSON.stringify(b), 'same plan twice');
  assertTrue(JSON.stringify(a) === JSON.stringify(c), 'same plan with the nodes reversed');
});

property('a tick of the applied plan moves nothing', ({ snap, stacks }) => {
  const p1 = tick(stacks, snap, { replicas: [] }, options());
  const p2 = tick(stacks, snap, applyPlan(p1, stacks, { replicas: [] }, options()), options());
  assertTrue(
    p2.assignments.every((a) => a.action === 'keep'),
    'only keeps',
  );
  assertTrue(p2.assignments.length === p1.assignments.length && p2.removals.length === 0, 'nothing added or removed');
  assertTrue(slots(p2) === slots(p1), 'the same replicas unplaced');
});

property('removing one node moves only the replicas it held', ({ snap, stacks }) => {
  const p1 = tick(stacks, snap, { replicas: [] }, options());
  const current = applyPlan(p1, stacks, { replicas: [] }, options());
  const gone = snap.nodes[snap.nodes.length >> 1].name;
  const p3 = tick(stacks, { ...snap, nodes: snap.nodes.filter((n) => n.name !== gone) }, current, options());
  const unplaced = new Set(slots(p1).split(' '));
  // replicas kept off other nodes because the node gone held their volume's data may start now, one per claim
  const claims = p1.unplaced.filter((u) => u.reason.includes(`is on ${gone}, which cannot take it`)).length;
  let freed = 0;
  for (const a of p3.assignments) {
    const moved = a.action === 'move' && a.from?.node === gone;
    const created = a.action === 'create' && unplaced.has(`${a.stack}_${a.service}.${a.slot}`);
    if (created) freed++;
    assertTrue(a.action === 'keep' || moved || created, `${a.service}.${a.slot}: ${a.action} from ${a.from?.node}`);
  }
  assertTrue(freed <= claims, 'replicas started only for the claims of the node gone');
  assertTrue(
    p3.removals.every((r) => r.node === gone),
    'removals only on the node gone',
  );
});

function slots(p: Plan): string {
  return p.unplaced.map((u) => `${u.stack}_${u.service}.${u.slot}`).join(' ');
}

function assertTrue(ok: boolean, what: string): void {
  if (!ok) throw new Error(`property broken: ${what}`);
}
