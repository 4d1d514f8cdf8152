import t from 'tap';
import { CONVERGE_TARGET, convergeFigures, convergeJson, formatConvergeTable, median, targetMet } from '../../../bench/lib/converge-table.mjs';

t.test('median', async (t) => {
  t.equal(median([3]), 3);
  t.equal(median([5, 1, 3]), 3);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.throws(() => median([]), /median of nothing/);
});

t.test('figures: medians, min-max, ratios to the floor', async (t) => {
  const f = convergeFigures({ run: [2, 1, 3], swarm: [4, 4.2, 3.8], muster: [3, 2.5, 2.9] });
  t.same(
    f.map((x) => [x.key, x.median, x.min, x.max, x.ratio]),
    [
      ['run', 2, 1, 3, 1],
      ['swarm', 4, 3.8, 4.2, 2],
      ['muster', 2.9, 2.5, 3, 1.45],
    ],
  );
  t.same(f[0].seconds, [2, 1, 3], 'the rounds as measured');
  t.same(
    convergeFigures({ muster: [1] }).map((x) => x.ratio),
    [null],
    'no floor: no ratio',
  );
});

t.test('the target, on both sides of 1.5x', async (t) => {
  t.equal(CONVERGE_TARGET, 1.5);
  t.equal(targetMet(convergeFigures({ run: [2], muster: [3] })), true, 'exactly 1.5x is met');
  t.equal(targetMet(convergeFigures({ run: [2], muster: [3.02] })), false, '1.51x is not');
  t.equal(targetMet(convergeFigures({ run: [2], swarm: [4] })), null, 'muster not measured');
});

t.test('the table and the JSON', async (t) => {
  const f = convergeFigures({ run: [2], swarm: [4], muster: [2.5] });
  const table = formatConvergeTable(f, 20);
  t.match(table, /^20 replicas, command to all running +median +min-max +x floor\n/);
  t.match(table, /docker run -d x N \(floor\) +2\.00 s +2\.00-2\.00 s +1\.00x\n/);
  t.match(table, /docker service create \(Swarm\) +4\.00 s +4\.00-4\.00 s +2\.00x\n/);
  t.match(table, /muster deploy +2\.50 s +2\.50-2\.50 s +1\.25x\n/);
  t.match(table, /target: muster within 1\.5x of the floor: met$/);
  t.match(formatConvergeTable(convergeFigures({ run: [1], muster: [2] }), 20), /NOT met$/);
  const j = convergeJson({ machine: { cpu: 'x' }, replicas: 20, rounds: 1, figures: f });
  t.same(j.target, { muster: '<= 1.5x the floor', met: true });
  t.equal(j.ways.length, 3);
  t.same(JSON.parse(JSON.stringify(j)), j, 'plain JSON');
});
