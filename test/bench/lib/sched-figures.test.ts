import t from 'tap';
import type { NodeView } from '../../../controller/scheduler/types.js';
import type { Service, Stack } from '../../../controller/stack/types.js';
import { median, placementFigures, schedulable } from '../../../bench/lib/sched-figures.mjs';

const MiB = 2 ** 20;

const node = (name: string, allocMiB: number, more: Partial<NodeView> = {}, enforced = true): NodeView => ({
  name,
  hostname: name,
  ready: true,
  availability: 'active',
  role: 'worker',
  arch: 'arm64',
  os: 'linux',
  labels: {},
  memory: { allocatableBytes: allocMiB * MiB, enforced },
  cpus: { allocatable: 4 },
  overcommit: 1,
  volumes: [],
  portsInUse: [],
  ...more,
});

// Only the fields placementFigures reads.
const service = (name: string, memory: { limit?: number; reservation?: number }): Service =>
  ({
    name,
    deploy: {
      limits: memory.limit ? { memoryBytes: memory.limit * MiB } : {},
      reservations: memory.reservation ? { memoryBytes: memory.reservation * MiB } : {},
    },
  }) as unknown as Service;

const stacks = [
  {
    name: 'st',
    services: [service('limited', { limit: 256 }), service('reserved', { reservation: 128, limit: 1024 }), service('free', {})],
  },
] as unknown as Stack[];

t.test('median', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
});

t.test('schedulable nodes are ready and active', async (t) => {
  const nodes = [node('a', 1), node('b', 1, { ready: false }), node('c', 1, { availability: 'drain' }), node('d', 1, { availability: 'pause' })];
  t.same(
    schedulable(nodes).map((n) => n.name),
    ['a'],
  );
});

t.test('a replica takes its reservation, else its limit; above allocatable is overcommitted', async (t) => {
  const nodes = [node('pi', 512, {}, false), node('nuc', 1024), node('idle', 1024), node('down', 64, { ready: false })];
  const at = (service: string, n: string) => ({ stack: 'st', service, node: n });
  const f = placementFigures({
    nodes,
    stacks,
    // pi: 256 + 256 = 512 of 512 (full, not over); nuc: 4 x 256 + 128 = 1152 of 1024 (over); down: 128 of 64 (over).
    placements: [
      at('limited', 'pi'),
      at('limited', 'pi'),
      at('free', 'pi'),
      ...Array(4).fill(at('limited', 'nuc')),
      at('reserved', 'nuc'),
      at('reserved', 'down'),
    ],
    unplaced: 3,
    seconds: 0.002,
  });
  t.equal(f.placed, 9);
  t.equal(f.unplaced, 3);
  t.equal(f.perSecond, 4500);
  t.equal(f.coldSeconds, 0.002, 'the first run is the median when not given');
  t.equal(f.cpuSeconds, 0.002, 'the CPU time likewise');
  t.equal(f.bestSeconds, 0.002, 'and the fastest run');
  t.equal(f.overcommitted, 2, 'exactly full is not overcommitted; a node down still counts');
  t.equal(f.unenforcedLimited, 2, 'the two limited replicas on the pi; the free one has no limit to lose');
  // Utilisation over the schedulable nodes pi (1), nuc (1.125), idle (0).
  t.equal(f.utilMax, 1.125);
  t.equal(f.utilMean, (1 + 1.125 + 0) / 3);
  const m = (1 + 1.125) / 3;
  t.ok(Math.abs(f.utilStdev - Math.sqrt(((1 - m) ** 2 + (1.125 - m) ** 2 + m ** 2) / 3)) < 1e-12, 'population standard deviation');
});

t.test('a placement naming an unknown service or node is an error, not a figure', async (t) => {
  const nodes = [node('a', 100)];
  t.throws(
    () => placementFigures({ nodes, stacks, placements: [{ stack: 'st', service: 'nope', node: 'a' }], unplaced: 0, seconds: 1 }),
    /unknown service st\/nope/,
  );
  t.throws(() => placementFigures({ nodes, stacks, placements: [{ stack: 'st', service: 'free', node: 'zz' }], unplaced: 0, seconds: 1 }), /unknown node zz/);
});

t.test('nothing placed: zeros, no division by zero', async (t) => {
  const f = placementFigures({ nodes: [node('a', 0)], stacks, placements: [], unplaced: 0, seconds: 0 });
  t.same(f, {
    seconds: 0,
    coldSeconds: 0,
    bestSeconds: 0,
    cpuSeconds: 0,
    perSecond: 0,
    placed: 0,
    unplaced: 0,
    overcommitted: 0,
    unenforcedLimited: 0,
    utilMean: 0,
    utilStdev: 0,
    utilMax: 0,
  });
});
