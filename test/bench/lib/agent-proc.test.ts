import t from 'tap';
import { anonKib, cpuPercent, cpuTicks, rssKib } from '../../../bench/lib/agent-proc.mjs';

// Recorded from this machine's /proc (a node process), and one with a hostile command name.
const STAT =
  '4242 (node) S 1 4242 4242 0 -1 4194560 9123 0 12 0 731 205 0 0 20 0 11 0 88123 1161392128 17321 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0';
const ODD = '77 (a) b) c (x)) R 1 77 77 0 -1 4194304 10 0 0 0 5 7 0 0 20 0 1 0 100 1000 10 18446744073709551615';

t.test('utime + stime from /proc/PID/stat', async (t) => {
  t.equal(cpuTicks(STAT), 731 + 205);
  t.equal(cpuTicks(ODD), 12, 'fields are counted from the last parenthesis of the command name');
  t.throws(() => cpuTicks('garbage'), /not a \/proc\/PID\/stat line/);
  t.throws(() => cpuTicks('1 (x) S 1'), /no utime\/stime/);
});

t.test('VmRSS from /proc/PID/status', async (t) => {
  t.equal(rssKib('Name:\tnode\nVmHWM:\t   80000 kB\nVmRSS:\t   69276 kB\nRssAnon:\t25188 kB\n'), 69276);
  t.throws(() => rssKib('Name:\tkthreadd\n'), /no VmRSS/);
});

t.test('Anonymous from /proc/PID/smaps_rollup', async (t) => {
  const text =
    '55d1e8a4b000-7ffd2f1f9000 ---p 00000000 00:00 0  [rollup]\nRss:               69276 kB\nShared_Clean:      44088 kB\nAnonymous:         25188 kB\n';
  t.equal(anonKib(text), 25188);
  t.throws(() => anonKib('Rss: 1 kB\n'), /no Anonymous/);
});

t.test('CPU as a percentage of one core', async (t) => {
  t.equal(cpuPercent(180, 100, 180), 1, '1.8 s of CPU over 3 minutes is 1%');
  t.equal(cpuPercent(0, 100, 60), 0);
  t.equal(cpuPercent(50, 100, 0), 0, 'an empty window spends nothing');
});
