import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseCpuinfo, parseLoadavg, parseMeminfo, parseOsRelease, parseStatusRss, parseUptime } from '../../../agent/report/proc.js';

const host = (name: string, file: string): string => readFileSync(new URL(`../../fixtures/agent/hosts/${name}/${file}`, import.meta.url), 'utf8');

const KiB = 1024;

t.test('meminfo: recorded and hand-written files -> bytes', async (t) => {
  const cases = [
    {
      name: 'debian12 (recorded)',
      text: host('debian12-hybrid-recorded', 'proc/meminfo'),
      want: { totalBytes: 24684096 * KiB, availableBytes: 23677504 * KiB, swapTotalBytes: 0, swapFreeBytes: 0 },
    },
    {
      name: 'pi4',
      text: host('pi4-bookworm-v2', 'proc/meminfo'),
      want: { totalBytes: 3885396 * KiB, availableBytes: 3421076 * KiB, swapTotalBytes: 204796 * KiB, swapFreeBytes: 204796 * KiB },
    },
    {
      name: 'pi3 without MemAvailable: free + buffers + cached',
      text: host('pi3-v1-nomemory', 'proc/meminfo'),
      want: { totalBytes: 948304 * KiB, availableBytes: (512000 + 20000 + 180000) * KiB, swapTotalBytes: 102396 * KiB, swapFreeBytes: 90000 * KiB },
    },
  ];
  for (const c of cases) {
    t.same(parseMeminfo(c.text), c.want, c.name);
  }
  t.equal(parseMeminfo('garbage\n'), null, 'not a meminfo file');
  t.equal(parseMeminfo(''), null, 'empty');
});

t.test('loadavg and uptime', async (t) => {
  const rows: [string, [number, number, number] | null][] = [
    ['0.08 0.12 0.10 1/215 4321\n', [0.08, 0.12, 0.1]],
    ['1.52 1.20 0.98 2/160 901', [1.52, 1.2, 0.98]],
    ['', null],
    ['abc def ghi', null],
    ['0.1 0.2', null],
  ];
  for (const [text, want] of rows) t.same(parseLoadavg(text), want, JSON.stringify(text));
  t.same(parseLoadavg(host('pi4-bookworm-v2', 'proc/loadavg')), [0.08, 0.12, 0.1]);
  t.ok(parseLoadavg(host('debian12-hybrid-recorded', 'proc/loadavg')), 'recorded loadavg parses');

  const up: [string, number | null][] = [
    ['86412.07 341022.51\n', 86412.07],
    ['120.50 470.10', 120.5],
    ['', null],
    ['x y', null],
  ];
  for (const [text, want] of up) t.equal(parseUptime(text), want, JSON.stringify(text));
  t.ok((parseUptime(host('debian12-hybrid-recorded', 'proc/uptime')) ?? 0) > 0, 'recorded uptime parses');
});

t.test('cpuinfo: count and model', async (t) => {
  const rows: { name: string; want: { count: number; model: string | null } }[] = [
    { name: 'debian12-hybrid-recorded', want: { count: 2, model: 'AMD EPYC' } },
    { name: 'pi4-bookworm-v2', want: { count: 4, model: 'Cortex-A72' } },
    { name: 'pi5-v2-nomemory', want: { count: 4, model: 'Cortex-A76' } },
    { name: 'pi3-v1-nomemory', want: { count: 4, model: 'Cortex-A53' } },
  ];
  for (const r of rows) t.same(parseCpuinfo(host(r.name, 'proc/cpuinfo')), r.want, r.name);
  t.same(parseCpuinfo('processor\t: 0\nCPU implementer\t: 0x51\nCPU part\t: 0x802\n'), { count: 1, model: 'ARM part 0x802' }, 'unknown vendor part');
  t.same(
    parseCpuinfo('processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU implementer\t: 0x41\nCPU part\t: 0xb76\n'),
    { count: 1, model: 'ARM1176' },
    'Pi Zero',
  );
  t.same(parseCpuinfo(''), { count: 0, model: null }, 'empty');
});

t.test('os-release', async (t) => {
  const rec = parseOsRelease(host('debian12-hybrid-recorded', 'etc/os-release'));
  t.equal(rec.PRETTY_NAME, 'Debian GNU/Linux 12 (bookworm)');
  t.equal(rec.VERSION_CODENAME, 'bookworm');
  t.equal(rec.ID, 'debian');
  t.same(parseOsRelease(`NAME='Alpine Linux'\nVERSION_ID=3.20.1\n# comment\nX="a \\"q\\""\n`), { NAME: 'Alpine Linux', VERSION_ID: '3.20.1', X: 'a "q"' });
});

t.test('process status -> RSS', async (t) => {
  t.equal(parseStatusRss(host('pi4-bookworm-v2', 'proc/612/status')), 74512 * KiB, 'dockerd on the pi');
  const dockerd = parseStatusRss(host('debian12-hybrid-recorded', 'proc/4218/status'));
  t.ok(dockerd !== null && dockerd > 1024 * KiB, 'recorded dockerd RSS is some MB');
  t.equal(parseStatusRss('Name:\tkthreadd\nState:\tS (sleeping)\n'), null, 'kernel thread has no VmRSS');
});
