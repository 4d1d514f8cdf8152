import t from 'tap';
import { AGENT_TARGETS, formatAgentTable, formatAgentTargets, percentile, type Figures } from '../../../bench/lib/agent-table.mjs';

t.test('nearest-rank percentiles', async (t) => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 .. 1, unsorted on purpose
  t.equal(percentile(xs, 50), 50);
  t.equal(percentile(xs, 99), 99);
  t.equal(percentile(xs, 100), 100);
  t.equal(percentile([7], 50), 7);
  t.equal(percentile([1, 2, 3, 4], 50), 2);
  t.throws(() => percentile([], 50), /empty/);
});

const agent: Figures = { rssKib: 57_000, anonKib: 18_000, loadRssKib: 60_000, p50Ms: 3.2, p99Ms: 14.5, cpuPercent: 0.8 };
const anchor: Figures = { rssKib: 20_000, anonKib: 9_000, loadRssKib: 25_000, p50Ms: 200, p99Ms: 600, cpuPercent: 0.25 };

t.test('the table puts the agent and the anchor side by side with ratios', async (t) => {
  t.equal(
    formatAgentTable(agent, anchor),
    [
      '                        muster agent  node_exporter  agent/anchor',
      'steady RSS                   58.4 MB        20.5 MB          2.9x',
      '  of it private (anon)       18.4 MB         9.2 MB          2.0x',
      'RSS after the load           61.4 MB        25.6 MB          2.4x',
      'request p50                  3.20 ms       200.0 ms        0.016x',
      'request p99                  14.5 ms       600.0 ms        0.024x',
      'idle CPU (one core)           0.80 %         0.25 %          3.2x',
    ].join('\n'),
  );
});

t.test('without the anchor its column says n/a', async (t) => {
  const lines = formatAgentTable(agent, null).split('\n');
  t.match(lines[1], /^steady RSS\s+58\.4 MB\s+n\/a\s+-$/);
  t.equal(lines.length, 7);
});

t.test('targets: PASS or MISS on each line', async (t) => {
  t.equal(
    formatAgentTargets(agent),
    ['steady RSS at most 60 MB: 58.4 MB  PASS', '/v1/report p50 under 5 ms: 3.20 ms  PASS', 'idle CPU under 1% of a core: 0.80 %  PASS'].join('\n'),
  );
  const heavy = { ...agent, rssKib: 70_000, p50Ms: 5, cpuPercent: 1 };
  t.match(formatAgentTargets(heavy), /71\.7 MB  MISS[\s\S]*5\.00 ms  MISS[\s\S]*1\.00 %  MISS/, 'the limits themselves: RSS above, p50 and CPU not under');
  t.match(formatAgentTargets({ ...agent, rssKib: 60e6 / 1024 }), /60\.0 MB  PASS/, 'exactly 60 MB is at most 60 MB');
  t.equal(AGENT_TARGETS.p50Ms, 5);
});
