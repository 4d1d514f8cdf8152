import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { fileURLToPath } from 'node:url';
import {
  collectBaseline,
  collectCgroups,
  collectNode,
  hostFiles,
  readContainerCgroup,
  readSmallFile,
  RESCAN_EVERY,
  type BaselineCache,
  type HostFiles,
} from '../../../agent/report/collect.js';

const root = (name: string): string => fileURLToPath(new URL(`../../fixtures/agent/hosts/${name}`, import.meta.url));
const MiB = 1024 * 1024;
const KiB = 1024;

t.test('node section from each fixture tree', async (t) => {
  const rows = [
    {
      host: 'debian12-hybrid-recorded',
      machine: 'x86_64',
      want: {
        os: 'Debian GNU/Linux 12 (bookworm)',
        arch: { raw: 'x86_64', normalised: 'amd64' },
        cpu: { count: 2, model: 'AMD EPYC' },
        piModel: null,
        memory: { totalBytes: 24684096 * KiB },
      },
    },
    {
      host: 'pi4-bookworm-v2',
      machine: 'aarch64',
      want: {
        os: 'Debian GNU/Linux 12 (bookworm)',
        arch: { normalised: 'arm64' },
        cpu: { count: 4, model: 'Cortex-A72' },
        piModel: 'Raspberry Pi 4 Model B Rev 1.4',
        load: [0.08, 0.12, 0.1],
        uptimeS: 86412.07,
      },
    },
    { host: 'pi5-v2-nomemory', machine: 'aarch64', want: { os: null, cpu: { model: 'Cortex-A76' }, piModel: 'Raspberry Pi 5 Model B Rev 1.0' } },
    {
      host: 'pi3-v1-nomemory',
      machine: 'armv7l',
      want: { arch: { normalised: 'arm/v7' }, piModel: 'Raspberry Pi 3 Model B Rev 1.2', memory: { availableBytes: (512000 + 20000 + 180000) * KiB } },
    },
  ];
  for (const r of rows) {
    const node = await collectNode(
      hostFiles(root(r.host)),
      { hostname: 'h', kernel: '6.6', machine: r.machine },
      { labels: { zone: 'a' }, available: false, dataRoot: '/var/lib/docker' },
    );
    t.match(node, { hostname: 'h', kernel: '6.6', labels: { zone: 'a' }, available: false, ...r.want }, r.host);
    t.equal(node.disks[0]?.path, '/', `${r.host}: / measured`);
    t.ok(node.disks[0].totalBytes > 0 && node.disks[0].availableBytes <= node.disks[0].totalBytes, `${r.host}: sizes sane`);
    t.equal(node.disks.length, 1, `${r.host}: a missing data root is left out`);
  }
  const empty = await collectNode(hostFiles(t.testdir()), { hostname: 'h', kernel: 'k', machine: 'mips' }, { labels: {}, available: true, dataRoot: null });
  t.match(
    empty,
    { os: null, memory: null, load: null, uptimeS: null, piModel: null, cpu: { count: 0, model: null }, arch: { normalised: null } },
    'nothing readable: nulls, no throw',
  );
});

t.test('cgroup section from each fixture tree', async (t) => {
  const rows = [
    {
      host: 'debian12-hybrid-recorded',
      want: {
        version: 'hybrid',
        memory: { enabled: true, enforced: true },
        agent: { limit: 'unlimited', dir: '/sys/fs/cgroup/memory/process_api/42b883c4f5c368238cf3d4f7d7442c5b' },
      },
    },
    { host: 'pi4-bookworm-v2', want: { version: 'v2', memory: { enabled: true, enforced: true }, agent: { limit: 256 * MiB, usageBytes: 40 * MiB } } },
    {
      host: 'pi5-v2-nomemory',
      want: { version: 'v2', memory: { enabled: false, enforced: false }, agent: { dir: '/sys/fs/cgroup/system.slice/muster-agent.service', limit: null } },
    },
    { host: 'pi3-v1-nomemory', want: { version: 'hybrid', memory: { enabled: false, enforced: false }, agent: { dir: null, limit: null } } },
  ];
  for (const r of rows) {
    const { report, mounts } = await collectCgroups(hostFiles(root(r.host)));
    t.match(report, r.want, r.host);
    t.ok(mounts.length > 0, `${r.host}: mounts returned`);
  }
  const none = await collectCgroups(hostFiles(t.testdir()));
  t.match(none.report, { version: null, memory: { enforced: false }, agent: { dir: null } }, 'no cgroup files at all');
});

t.test('container cgroup through /proc/PID/cgroup', async (t) => {
  const rows: { host: string; pid: number | undefined; want: object }[] = [
    { host: 'debian12-hybrid-recorded', pid: 26356, want: { source: 'cgroup', memory: { limit: 64 * MiB, oomKills: 0 }, cpus: 0.5, pidsLimit: 50 } },
    {
      host: 'debian12-hybrid-recorded',
      pid: 27159,
      want: { source: 'cgroup', memory: { limit: 16 * MiB, oomKills: 1 }, cpus: 'unlimited', pidsLimit: 'unlimited' },
    },
    {
      host: 'pi4-bookworm-v2',
      pid: 1234,
      want: { source: 'cgroup', memory: { limit: 128 * MiB, usageBytes: 50 * MiB, oomKills: 2 }, cpus: 0.5, pidsLimit: 100 },
    },
    { host: 'pi4-bookworm-v2', pid: 1240, want: { source: 'cgroup', memory: { limit: 'unlimited' }, cpus: 'unlimited', pidsLimit: 'unlimited' } },
    { host: 'pi5-v2-nomemory', pid: 2001, want: { source: 'no-memory-cgroup', memory: null, dir: /docker-5e5e/, cpus: null, pidsLimit: 'unlimited' } },
    { host: 'pi3-v1-nomemory', pid: 901, want: { source: 'no-memory-cgroup', memory: null, dir: null, cpus: null, pidsLimit: 64 } },
    { host: 'pi4-bookworm-v2', pid: 99999, want: { source: 'not-running', memory: null, cpus: null, pidsLimit: null } },
    { host: 'pi4-bookworm-v2', pid: undefined, want: { source: 'not-running', memory: null, dir: null, cpus: null, pidsLimit: null } },
  ];
  for (const r of rows) {
    const files = hostFiles(root(r.host));
    const { mounts } = await collectCgroups(files);
    t.match(await readContainerCgroup(files, mounts, r.pid), r.want, `${r.host} pid ${r.pid}`);
  }
});

t.test('baseline memory of the container machinery', async (t) => {
  const rec = await collectBaseline(hostFiles(root('debian12-hybrid-recorded')), 30 * MiB);
  t.ok(rec.dockerdBytes !== null && rec.dockerdBytes > MiB, 'recorded dockerd');
  t.ok(rec.containerdBytes !== null && rec.containerdBytes > MiB, 'recorded containerd');
  t.equal(rec.k3sBytes, null, 'no k3s');
  t.equal(rec.totalBytes, 30 * MiB + rec.dockerdBytes! + rec.containerdBytes!);
  const pi = await collectBaseline(hostFiles(root('pi4-bookworm-v2')), 0);
  t.same(pi, { dockerdBytes: 74512 * KiB, containerdBytes: null, k3sBytes: null, agentBytes: 0, totalBytes: 74512 * KiB });
  const real = await collectBaseline(hostFiles('/'), 1);
  const dockerdRuns = readdirSync('/proc').some((p) => /^\d+$/.test(p) && readIfAny(`/proc/${p}/comm`)?.trim() === 'dockerd');
  t.equal(real.dockerdBytes !== null && real.dockerdBytes > 0, dockerdRuns, 'the live /proc: dockerd is counted exactly when it runs');
});

t.test('baseline: /proc is scanned once, then only the known processes are read until one goes or a rescan is due', async (t) => {
  const procs: Record<string, { comm: string; rssKb: number }> = {
    '1': { comm: 'systemd', rssKb: 9000 },
    '50': { comm: 'dockerd', rssKb: 70000 },
    '60': { comm: 'containerd', rssKb: 40000 },
  };
  let lists = 0;
  const fs: HostFiles = {
    async list() {
      lists++;
      return Object.keys(procs).concat('self', 'meminfo');
    },
    async read(path) {
      const m = /^\/proc\/(\d+)\/(comm|status)$/.exec(path);
      const p = m && procs[m[1]];
      if (!p) return undefined;
      return m[2] === 'comm' ? `${p.comm}\n` : `Name:\t${p.comm}\nVmRSS:\t${p.rssKb} kB\n`;
    },
    async space() {
      return undefined;
    },
  };
  const cache: BaselineCache = { ticks: 0 };
  const first = await collectBaseline(fs, 0, cache);
  t.equal(first.dockerdBytes, 70000 * KiB);
  t.equal(lists, 1, 'the first tick scans /proc');
  procs['50'].rssKb = 80000;
  const second = await collectBaseline(fs, 0, cache);
  t.equal(second.dockerdBytes, 80000 * KiB, 'the known process is read again');
  t.equal(lists, 1, 'no scan while the known processes are there');
  delete procs['50'];
  procs['51'] = { comm: 'dockerd', rssKb: 60000 };
  const third = await collectBaseline(fs, 0, cache);
  t.equal(lists, 2, 'a vanished process brings a full scan');
  t.equal(third.dockerdBytes, 60000 * KiB, 'the new dockerd is found');
  procs['70'] = { comm: 'k3s-server', rssKb: 250000 };
  for (let i = cache.ticks; i % RESCAN_EVERY !== 0; i++) await collectBaseline(fs, 0, cache);
  t.equal(lists, 2, 'no scan before the rescan is due');
  const due = await collectBaseline(fs, 0, cache);
  t.equal(lists, 3, 'every RESCAN_EVERY-th tick scans');
  t.equal(due.k3sBytes, 250000 * KiB, 'a k3s started later is found at the rescan');
});

function readIfAny(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

t.test('readSmallFile: whole text of /proc files (size 0), files larger than its buffer, undefined when unreadable', async (t) => {
  const dir = t.testdir({ small: 'one line\n', big: 'x'.repeat(64 * 1024 - 1) + 'é' + 'y'.repeat(70_000), exact: 'z'.repeat(64 * 1024), empty: '', sub: {} });
  t.equal(readSmallFile(`${dir}/small`), 'one line\n');
  t.equal(readSmallFile(`${dir}/big`), readFileSync(`${dir}/big`, 'utf8'), 'a multi-byte character across the buffer boundary survives');
  t.equal(readSmallFile(`${dir}/exact`)?.length, 64 * 1024, 'exactly one buffer');
  t.equal(readSmallFile(`${dir}/empty`), '');
  t.equal(readSmallFile(`${dir}/missing`), undefined);
  t.equal(readSmallFile(`${dir}/sub`), undefined, 'a directory');
  const status = readSmallFile('/proc/self/status');
  t.match(status, /^Name:\t/, '/proc reports size 0 and is read to its end');
  t.match(status, /VmRSS:\s+\d+ kB/);
  t.equal(readSmallFile('/proc/self/mountinfo'), readFileSync('/proc/self/mountinfo', 'utf8'));
});
