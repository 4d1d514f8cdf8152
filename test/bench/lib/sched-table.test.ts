import t from 'tap';
import type { PlacementFigures } from '../../../bench/lib/sched-figures.mjs';
import { formatSchedTable, ratio, SCHED_TARGETS, schedJson, targetsMet } from '../../../bench/lib/sched-table.mjs';

const muster: PlacementFigures = {
  seconds: 0.05,
  coldSeconds: 0.4,
  bestSeconds: 0.045,
  cpuSeconds: 0.06,
  perSecond: 197_000,
  placed: 9_850,
  unplaced: 150,
  overcommitted: 0,
  unenforcedLimited: 0,
  utilMean: 0.34,
  utilStdev: 0.05,
  utilMax: 0.6,
};
const swarm: PlacementFigures = {
  seconds: 0.2,
  coldSeconds: 0.5,
  bestSeconds: 0.15,
  cpuSeconds: 0.3,
  perSecond: 50_000,
  placed: 10_000,
  unplaced: 0,
  overcommitted: 340,
  unenforcedLimited: 1766,
  utilMean: 2.1,
  utilStdev: 3.58,
  utilMax: 20.35,
};

t.test('ratios', async (t) => {
  t.equal(ratio(1, 4), '0.25x');
  t.equal(ratio(50, 1000), '0.050x', 'small ratios keep three decimals');
  t.equal(ratio(25, 2), '12.5x');
  t.equal(ratio(0, 340), '0x');
  t.equal(ratio(150, 0), '-');
  t.equal(ratio(0, 0), '-');
});

t.test('the table puts muster and the Swarm rule side by side, with ratios and targets', async (t) => {
  t.equal(
    formatSchedTable(muster, swarm),
    [
      '                                                         muster  Swarm rule  muster/Swarm  target',
      'time, first run (cold JIT)                             400.0 ms    500.0 ms         0.80x',
      'time, median of the runs                                50.0 ms    200.0 ms         0.25x',
      'time, fastest run                                       45.0 ms    150.0 ms         0.30x',
      'CPU time, median of the runs                            60.0 ms    300.0 ms         0.20x',
      'placements per second                                   197,000      50,000         3.94x  >= 100,000  PASS',
      'replicas placed                                           9,850      10,000         0.98x',
      'replicas not placed                                         150           0             -',
      'nodes overcommitted                                           0         340            0x  0  PASS',
      'memory-limited replicas where limits are not enforced         0       1,766            0x  0  PASS',
      'memory utilisation, mean                                 34.0 %     210.0 %         0.16x',
      'memory utilisation, std dev                               5.0 %     358.0 %        0.014x',
      'memory utilisation, max                                  60.0 %    2035.0 %        0.029x',
    ].join('\n'),
  );
});

t.test('targets: PASS or MISS on both sides of each limit', async (t) => {
  const at = (f: Partial<PlacementFigures>) => formatSchedTable({ ...muster, ...f }, swarm);
  t.match(at({ perSecond: 100_000 }), /100,000 +50,000 +2\.00x +>= 100,000  PASS/, 'exactly the floor passes');
  t.match(at({ perSecond: 99_999 }), /99,999 .*>= 100,000  MISS/);
  t.match(at({ overcommitted: 1 }), /nodes overcommitted +1 .* 0  MISS/);
  t.match(at({ unenforcedLimited: 1 }), /not enforced +1 .* 0  MISS/);
  t.ok(targetsMet(muster));
  t.notOk(targetsMet({ ...muster, overcommitted: 1 }));
  t.notOk(targetsMet(null), 'not measured is not met');
  t.equal(SCHED_TARGETS.perSecond, 100_000);
});

t.test('without muster its columns say n/a and no verdict is given', async (t) => {
  const lines = formatSchedTable(null, swarm).split('\n');
  t.match(lines[5], /^placements per second +n\/a +50,000 +- +>= 100,000$/);
  t.equal(lines.length, 13);
});

t.test('the JSON has both sides, the ratios and the verdicts', async (t) => {
  const j = schedJson({ machine: { cpu: 'x' }, input: { seed: 1 }, muster, swarm });
  t.same(j.machine, { cpu: 'x' });
  t.equal(j.ratios.perSecond, 197_000 / 50_000);
  t.equal(j.ratios.unplaced, null, 'no ratio over zero');
  t.same(j.targets, {
    perSecond: { target: '>= 100,000', met: true },
    overcommitted: { target: '0', met: true },
    unenforcedLimited: { target: '0', met: true },
  });
  t.same(schedJson({ machine: {}, input: {}, muster: null, swarm }).targets.perSecond, { target: '>= 100,000', met: null });
});
