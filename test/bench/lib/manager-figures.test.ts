import t from 'tap';
import {
  allPass,
  cpuPercent,
  cpuTicks,
  downWatch,
  formatManagerTable,
  formatTable,
  type ManagerFigures,
  managerJson,
  managerRows,
  median,
  promLabelled,
  promNodeStates,
  promValue,
  RSS_TARGET_BYTES,
  summary,
  TICK_TARGET_S,
  vmRssBytes,
} from '../../../bench/lib/manager-figures.mjs';

const figures = (over: Partial<ManagerFigures> = {}): ManagerFigures => ({
  nodes: 1000,
  replicas: 10_000,
  convergeS: 42.25,
  seconds: 30,
  tick: { median: 0.12, max: 0.4, n: 30 },
  rss: { median: 150e6, max: 160e6, n: 30 },
  cpuPercent: 37.4,
  falseDowns: 0,
  windowTicks: 28,
  heartbeatsPerS: 950,
  windowChanges: 0,
  kill: 100,
  downS: 5.2,
  replacedS: 11.7,
  ...over,
});
const row = (f: ManagerFigures, start: string) => managerRows(f).find((r) => r[0].startsWith(start)) as string[];

t.test('median and summary', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.throws(() => median([]), /median of nothing/);
  t.same(summary([0.5, 0.1, 0.3]), { median: 0.3, max: 0.5, n: 3 });
  t.equal(summary([]), null);
});

t.test('the tick gauge is read from Prometheus text', async (t) => {
  const text = [
    '# HELP muster_tick_seconds Duration of the last scheduling tick.',
    '# TYPE muster_tick_seconds gauge',
    'muster_ticks_total 12',
    'muster_tick_seconds 0.137',
    'muster_tick_seconds_other 9',
  ].join('\n');
  t.equal(promValue(text, 'muster_tick_seconds'), 0.137);
  t.equal(promValue(text, 'muster_ticks_total'), 12);
  t.equal(promValue('muster_tick_seconds{} 2\n', 'muster_tick_seconds'), 2, 'empty labels');
  t.equal(promValue(text, 'muster_tick'), undefined, 'a prefix is not the name');
  t.equal(promValue('muster_tick_seconds NaN\n', 'muster_tick_seconds'), undefined, 'not a number');
});

t.test('a labelled counter: its value, 0 when the series has not started', async (t) => {
  const text = 'muster_heartbeats_total{verdict="old"} 3\nmuster_heartbeats_total{verdict="taken"} 4100\n';
  t.equal(promLabelled(text, 'muster_heartbeats_total', 'verdict', 'taken'), 4100);
  t.equal(promLabelled(text, 'muster_heartbeats_total', 'verdict', 'old'), 3);
  t.equal(promLabelled(text, 'muster_heartbeats_total', 'verdict', 'bad-signature'), 0, 'no such series yet');
  t.equal(promLabelled('muster_heartbeats_total{verdict="taken"} x\n', 'muster_heartbeats_total', 'verdict', 'taken'), undefined, 'not a number');
  t.match(formatManagerTable(figures({ heartbeatsPerS: 987.6 })), /heartbeats taken per second at steady state\s+988/);
  t.match(formatManagerTable(figures({ heartbeatsPerS: null })), /heartbeats taken per second at steady state\s+n\/a/);
});

t.test('RSS and CPU ticks from /proc', async (t) => {
  t.equal(vmRssBytes('Name:\tnode\nVmHWM:\t  300000 kB\nVmRSS:\t  123456 kB\n'), 123456 * 1024);
  t.equal(vmRssBytes('Name:\tnode\n'), undefined);
  // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
  const stat = '4242 (node (muster) x) S 1 2 3 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 999';
  t.equal(cpuTicks(stat), 325, 'utime + stime, with spaces and parentheses in the command');
  t.throws(() => cpuTicks('nonsense'), /not a \/proc\/PID\/stat line/);
  t.equal(cpuPercent(300, 100, 10), 30, '3 s of CPU over 10 s');
  t.equal(cpuPercent(300, 100, 0), 0, 'an empty window');
});

t.test('nodes going down are counted once per fall', async (t) => {
  const w = downWatch();
  const at = (states: string[]) => states.map((state, i): [string, string] => [`n${i}`, state]);
  w.see(at(['up', 'up', 'up']));
  t.equal(w.count, 0);
  w.see(at(['down', 'up', 'up']));
  w.see(at(['down', 'up', 'up']));
  t.equal(w.count, 1, 'still down is the same fall');
  w.see(at(['up', 'down', 'down']));
  w.see(at(['down', 'down', 'up']));
  t.equal(w.count, 4, 'n0 fell twice, n1 and n2 once');
});

t.test('node states from the metrics', async (t) => {
  const text = ['# TYPE muster_node_up gauge', 'muster_node_up{node="sim0001"} 1', 'muster_node_up{node="sim0002"} 0', 'muster_nodes{state="up"} 1'].join('\n');
  t.same(promNodeStates(text), [
    ['sim0001', 'up'],
    ['sim0002', 'down'],
  ]);
  t.same(promNodeStates('muster_nodes{state="up"} 3\n'), []);
});

t.test('targets: tick max under 1 s and RSS max under 200 MB, on both sides', async (t) => {
  t.equal(row(figures(), 'tick at steady state, max')[3], 'PASS');
  t.equal(row(figures({ tick: { median: 0.5, max: TICK_TARGET_S - 0.001, n: 3 } }), 'tick at steady state, max')[3], 'PASS');
  t.equal(row(figures({ tick: { median: 0.5, max: TICK_TARGET_S, n: 3 } }), 'tick at steady state, max')[3], 'MISS');
  t.equal(row(figures({ tick: null }), 'tick at steady state, max')[3], 'MISS', 'not measured is a miss');
  t.equal(row(figures({ rss: { median: 1, max: RSS_TARGET_BYTES - 1, n: 1 } }), 'manager RSS at steady state, max')[3], 'PASS');
  t.equal(row(figures({ rss: { median: 1, max: RSS_TARGET_BYTES, n: 1 } }), 'manager RSS at steady state, max')[3], 'MISS');
  t.ok(allPass(managerRows(figures())));
  t.notOk(allPass(managerRows(figures({ rss: { median: 1, max: 3e8, n: 1 } }))));
  const json = managerJson({ machine: { cpu: 'x' }, figures: figures({ rss: { median: 1, max: 3e8, n: 1 } }) });
  t.same(json.targets, { tickMaxSeconds: { below: 1, met: true }, rssMaxBytes: { below: 200e6, met: false } });
  t.equal(json.replicas, 10_000);
});

t.test('the table names the scale and shows each figure with its unit', async (t) => {
  const text = formatManagerTable(figures({ replacedS: null }));
  const lines = text.split('\n');
  t.match(lines[0], /^figure\s+value\s+target$/);
  t.match(text, /deploy of 10000 replicas on 1000 nodes: POST to all running\s+42\.3 s\s+-/);
  t.match(text, /tick at steady state, median \(30 samples over 30 s\)\s+0\.120 s/);
  t.match(text, /tick at steady state, max\s+0\.400 s\s+< 1 s {2}PASS/);
  t.match(text, /manager RSS at steady state, max\s+160 MB\s+< 200 MB {2}PASS/);
  t.match(text, /manager CPU at steady state\s+37% of a core/);
  t.match(text, /ticks run \/ changes applied in the window\s+28 \/ 0/);
  t.match(formatManagerTable(figures({ windowTicks: null })), /ticks run \/ changes applied in the window\s+n\/a/);
  t.match(text, /100 nodes killed at once: all marked down\s+5\.2 s/);
  t.match(text, /100 nodes killed at once: wanted count running again\s+not reached/);
  const valueEnds = lines.slice(1).map((l) => l.search(/(s|MB|core|\d|reached)\s{2,}(-|<)/));
  t.ok(
    valueEnds.every((i) => i > 0),
    'every row has a value followed by its target',
  );
});

t.test('formatTable aligns columns left or right', async (t) => {
  t.equal(formatTable(['a', 'bb'], [['ccc', 'd']]), 'a    bb\nccc   d');
  t.equal(formatTable(['a', 'bb'], [['ccc', 'd']], 'll'), 'a    bb\nccc  d');
});
