import t from 'tap';
import { formatTable, formatTargets, median, summarize, type Run } from '../../../bench/lib/report.mjs';

const run = (size: number, m: [number, number], a: [number, number], rssKb = 80_000): Run => ({
  size,
  muster: { cold: { ms: m[0], rssKb }, warm: { ms: m[1], rssKb } },
  ansible: { cold: { ms: a[0], rssKb: 0 }, warm: { ms: a[1], rssKb: 0 } },
});

t.test('median', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.equal(median([7]), 7);
});

t.test('runs of a size are summarized by medians, sizes ascending', async (t) => {
  const rows = summarize([
    run(20, [10_000, 5_000], [100_000, 80_000]),
    run(1, [2_000, 1_000], [6_000, 5_000], 70_000),
    run(20, [12_000, 6_000], [90_000, 70_000], 95_000),
    run(20, [11_000, 4_000], [110_000, 75_000]),
  ]);
  t.same(
    rows.map((r) => [r.size, r.phase, r.runs]),
    [
      [1, 'cold', 1],
      [1, 'warm', 1],
      [20, 'cold', 3],
      [20, 'warm', 3],
    ],
  );
  t.match(rows[2], { muster: 11_000, ansible: 100_000, rssKb: 95_000 }, 'median times, highest RSS');
  t.equal(rows[3].ratio, 75_000 / 5_000);
});

t.test('the table puts both tools side by side', async (t) => {
  const table = formatTable(summarize([run(20, [10_000, 5_000], [100_000, 80_000], 90_000)]));
  t.equal(
    table,
    [
      'hosts  run    muster   ansible  ansible/muster  muster peak RSS',
      '   20  cold  10.00 s  100.00 s           10.0x            92 MB',
      '   20  warm   5.00 s   80.00 s           16.0x            92 MB',
    ].join('\n'),
  );
});

t.test('targets pass or miss at 20 hosts', async (t) => {
  const pass = formatTargets(summarize([run(20, [10_000, 5_000], [60_000, 50_000], 100_000)]));
  t.match(pass, /warm no-op run on 20 hosts at least 10x faster than tuned Ansible: 10.0x {2}PASS/);
  t.match(pass, /cold run on 20 hosts at least 5x faster than tuned Ansible: 6.0x {2}PASS/);
  t.match(pass, /controller peak RSS under 150 MB: 102 MB {2}PASS/);

  const miss = formatTargets(summarize([run(20, [10_000, 5_000], [40_000, 45_000], 150_000)]));
  t.match(miss, /warm no-op run .*: 9.0x {2}MISS/);
  t.match(miss, /cold run .*: 4.0x {2}MISS/);
  t.match(miss, /controller peak RSS under 150 MB: 154 MB {2}MISS/);
});

t.test('targets without a 20-host row say so rather than judge', async (t) => {
  const text = formatTargets(summarize([run(5, [3_000, 1_500], [20_000, 19_000])]));
  t.match(text, /warm no-op run on 20 hosts .*: not measured \(add 20 to --sizes\)/);
  t.match(text, /cold run on 20 hosts .*: not measured/);
  t.match(text, /RSS under 150 MB: 82 MB {2}PASS/);
});
