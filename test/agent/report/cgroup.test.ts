import t from 'tap';
import { readFileSync } from 'node:fs';
import { cgroupVersion, memoryCgroupDir, memoryControllerState, parseCgroupMounts, parseProcCgroup, parseProcCgroups } from '../../../agent/report/cgroup.js';

const host = (name: string, file: string): string => readFileSync(new URL(`../../fixtures/agent/hosts/${name}/${file}`, import.meta.url), 'utf8');
const read = (name: string, file: string): string | undefined => {
  try {
    return host(name, file);
  } catch {
    return undefined;
  }
};

const REC_CONTAINER = '5b2464283f6f55a51a12f53063db88a2594b319c6624df4664a67bebc6af9fa1';
const PI4_CONTAINER = '3f1c9a0b7d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90';

t.test('mountinfo -> cgroup mounts', async (t) => {
  const rec = parseCgroupMounts(host('debian12-hybrid-recorded', 'proc/self/mountinfo'));
  t.equal(rec.length, 10, 'nine v1 hierarchies and the unified one');
  t.same(
    rec.find((m) => m.controllers.includes('memory')),
    { mountPoint: '/sys/fs/cgroup/memory', root: '/', fstype: 'cgroup', controllers: ['memory'] },
  );
  t.same(
    rec.find((m) => m.fstype === 'cgroup2'),
    { mountPoint: '/sys/fs/cgroup/unified', root: '/', fstype: 'cgroup2', controllers: [] },
  );
  t.same(rec.find((m) => m.mountPoint.endsWith('systemd'))?.controllers, ['name=systemd']);

  const pi3 = parseCgroupMounts(host('pi3-v1-nomemory', 'proc/self/mountinfo'));
  t.same(pi3.find((m) => m.mountPoint === '/sys/fs/cgroup/cpu,cpuacct')?.controllers, ['cpu', 'cpuacct'], 'co-mounted controllers');
  t.same(pi3.find((m) => m.mountPoint === '/sys/fs/cgroup/systemd')?.controllers, ['name=systemd'], 'xattr flag dropped');

  const escaped = parseCgroupMounts('40 31 0:38 /a\\040b /mnt/cg\\040x rw - cgroup2 cgroup2 rw\n');
  t.same(escaped, [{ mountPoint: '/mnt/cg x', root: '/a b', fstype: 'cgroup2', controllers: [] }], 'octal escapes');
  t.same(parseCgroupMounts('garbage\n22 27 0:21 / /sys rw - sysfs sysfs rw\n'), [], 'no cgroups');
});

t.test('cgroup version from the mounts', async (t) => {
  const rows: [string, string | null][] = [
    ['debian12-hybrid-recorded', 'hybrid'],
    ['pi4-bookworm-v2', 'v2'],
    ['pi5-v2-nomemory', 'v2'],
    ['pi3-v1-nomemory', 'hybrid'],
  ];
  for (const [name, want] of rows) t.equal(cgroupVersion(parseCgroupMounts(host(name, 'proc/self/mountinfo'))), want, name);
  t.equal(cgroupVersion(parseCgroupMounts('32 31 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n')), 'v1', 'pure v1');
  t.equal(cgroupVersion([]), null, 'none');
});

t.test('/proc/PID/cgroup parsing', async (t) => {
  const rows: { text: string; v1: Record<string, string>; v2?: string }[] = [
    { text: '0::/system.slice/docker-abc.scope\n', v1: {}, v2: '/system.slice/docker-abc.scope' },
    {
      text: '4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n0::/docker/abc\n',
      v1: { memory: '/docker/abc', cpu: '/docker/abc', cpuacct: '/docker/abc', 'name=systemd': '/docker/abc' },
      v2: '/docker/abc',
    },
    { text: '12:memory:/kubepods/pod1:x\n', v1: { memory: '/kubepods/pod1:x' }, v2: undefined },
    { text: '', v1: {}, v2: undefined },
  ];
  for (const r of rows) {
    const got = parseProcCgroup(r.text);
    t.same(Object.fromEntries(got.v1), r.v1, `${JSON.stringify(r.text)} v1`);
    t.equal(got.v2, r.v2, `${JSON.stringify(r.text)} v2`);
  }
});

t.test('memory cgroup directory of a process', async (t) => {
  const rows: { name: string; proc: string; want: { dir: string; version: 'v1' | 'v2' } | null }[] = [
    { name: 'debian12-hybrid-recorded', proc: 'self', want: { dir: '/sys/fs/cgroup/memory/process_api/42b883c4f5c368238cf3d4f7d7442c5b', version: 'v1' } },
    { name: 'debian12-hybrid-recorded', proc: '26356', want: { dir: `/sys/fs/cgroup/memory/docker/${REC_CONTAINER}`, version: 'v1' } },
    { name: 'pi4-bookworm-v2', proc: 'self', want: { dir: '/sys/fs/cgroup/system.slice/muster-agent.service', version: 'v2' } },
    { name: 'pi4-bookworm-v2', proc: '1234', want: { dir: `/sys/fs/cgroup/system.slice/docker-${PI4_CONTAINER}.scope`, version: 'v2' } },
    { name: 'pi3-v1-nomemory', proc: '901', want: null },
    { name: 'pi3-v1-nomemory', proc: 'self', want: null },
  ];
  for (const r of rows) {
    const mounts = parseCgroupMounts(host(r.name, 'proc/self/mountinfo'));
    t.same(memoryCgroupDir(parseProcCgroup(host(r.name, `proc/${r.proc}/cgroup`)), mounts), r.want, `${r.name} ${r.proc}`);
  }
  // Inside a cgroup namespace the mount's root is the namespace's root: its prefix is not repeated.
  const nsMounts = parseCgroupMounts('35 31 0:32 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
  t.same(memoryCgroupDir(parseProcCgroup('0::/docker/abc/sub\n'), nsMounts), { dir: '/sys/fs/cgroup/sub', version: 'v2' });
  t.same(memoryCgroupDir(parseProcCgroup('0::/\n'), nsMounts), { dir: '/sys/fs/cgroup', version: 'v2' });
  t.same(memoryCgroupDir(parseProcCgroup('0::/other\n'), nsMounts), { dir: '/sys/fs/cgroup/other', version: 'v2' }, 'outside the root: kept');
  t.equal(memoryCgroupDir(parseProcCgroup('0::/x\n'), []), null, 'no mounts');
});

t.test('memory controller enabled and enforced', async (t) => {
  const rows: { name: string; enabled: boolean; enforced: boolean; reason?: RegExp }[] = [
    { name: 'debian12-hybrid-recorded', enabled: true, enforced: true },
    { name: 'pi4-bookworm-v2', enabled: true, enforced: true },
    { name: 'pi5-v2-nomemory', enabled: false, enforced: false, reason: /cgroup_enable=memory/ },
    { name: 'pi3-v1-nomemory', enabled: false, enforced: false, reason: /disabled/ },
  ];
  for (const r of rows) {
    const mounts = parseCgroupMounts(host(r.name, 'proc/self/mountinfo'));
    const version = cgroupVersion(mounts);
    const controllersFile = version === 'v2' ? 'sys/fs/cgroup/cgroup.controllers' : 'sys/fs/cgroup/unified/cgroup.controllers';
    const got = memoryControllerState(version, parseProcCgroups(host(r.name, 'proc/cgroups')), mounts, read(r.name, controllersFile));
    t.equal(got.enabled, r.enabled, `${r.name} enabled`);
    t.equal(got.enforced, r.enforced, `${r.name} enforced`);
    if (r.reason) t.match(got.reason, r.reason, `${r.name} reason`);
    else t.equal(got.reason, undefined, `${r.name} no reason`);
  }
  const on = new Map([['memory', true]]);
  t.match(memoryControllerState(null, on, [], undefined), { enforced: false, reason: /no cgroup filesystem/ }, 'no cgroups at all');
  t.match(
    memoryControllerState('v1', on, [], undefined),
    { enabled: true, enforced: false, reason: /no cgroup v1 memory hierarchy/ },
    'enabled but not mounted',
  );
  t.match(memoryControllerState('v2', new Map(), [], 'cpu io memory pids'), { enabled: true, enforced: true }, 'v2 kernel whose /proc/cgroups omits memory');
  t.match(memoryControllerState('v2', on, [], 'cpu io pids'), { enabled: true, enforced: false, reason: /cgroup.controllers/ }, 'v2 enabled, not listed');
});
