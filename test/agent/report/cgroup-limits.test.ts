import t from 'tap';
import { parsePidsMax, parseV1Cpu, parseV2CpuMax } from '../../../agent/report/cgroup-limits.js';

t.test('v1 CFS quota and period', async (t) => {
  const rows: [string | undefined, string | undefined, ReturnType<typeof parseV1Cpu>, string][] = [
    ['50000\n', '100000\n', 0.5, 'recorded here: docker run --cpus 0.5'],
    ['-1\n', '100000\n', 'unlimited', 'recorded here: no --cpus'],
    ['25000', '100000', 0.25, 'a quarter'],
    ['150000', '100000', 1.5, 'more than one CPU'],
    ['33333', '100000', 0.33333, 'no float noise'],
    ['1000', '1000', 1, 'another period'],
    [undefined, '100000', null, 'no quota file (a kernel without CFS bandwidth control)'],
    ['50000', undefined, null, 'no period file'],
    ['50000', '0', null, 'a zero period'],
    ['abc', '100000', null, 'garbage'],
    ['', '', null, 'empty'],
  ];
  for (const [quota, period, want, why] of rows) t.equal(parseV1Cpu(quota, period), want, why);
});

t.test('v2 cpu.max', async (t) => {
  const rows: [string | undefined, ReturnType<typeof parseV2CpuMax>, string][] = [
    ['max 100000\n', 'unlimited', 'the default'],
    ['50000 100000\n', 0.5, 'half a CPU'],
    ['200000 100000', 2, 'two CPUs'],
    ['12345 100000', 0.12345, 'no float noise'],
    [undefined, null, 'no file (cpu controller not enabled for the cgroup)'],
    ['', null, 'empty'],
    ['max', null, 'no period'],
    ['50000 0', null, 'a zero period'],
    ['50000 100000 7', null, 'a third field'],
    ['x 100000', null, 'garbage'],
  ];
  for (const [text, want, why] of rows) t.equal(parseV2CpuMax(text), want, why);
});

t.test('pids.max', async (t) => {
  const rows: [string | undefined, ReturnType<typeof parsePidsMax>, string][] = [
    ['max\n', 'unlimited', 'recorded here: no --pids-limit'],
    ['50\n', 50, 'recorded here: --pids-limit 50'],
    ['0', 0, 'zero is a limit (nothing may fork)'],
    [undefined, null, 'no file (no pids controller)'],
    ['', null, 'empty'],
    ['-1', null, 'negative'],
    ['lots', null, 'garbage'],
  ];
  for (const [text, want, why] of rows) t.equal(parsePidsMax(text), want, why);
});
