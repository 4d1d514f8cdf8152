import t from 'tap';
import { readFileSync } from 'node:fs';
import { MEMORY_FILES, parseCgroupMemory, parseOomKills, parseUsage, parseV1Limit, parseV2Max } from '../../../agent/report/cgroup-memory.js';

const fixture = (name: string, dir: string, file: string): string =>
  readFileSync(new URL(`../../fixtures/agent/hosts/${name}${dir}/${file}`, import.meta.url), 'utf8');

const MiB = 1024 * 1024;

t.test('single files', async (t) => {
  const v1: [string, ReturnType<typeof parseV1Limit>][] = [
    ['67108864\n', 64 * MiB],
    ['9223372036854771712\n', 'unlimited'], // 4 KiB pages
    ['9223372036854710272\n', 'unlimited'], // 64 KiB pages (arm64 kernels built that way)
    ['-1', null],
    ['max', null],
    ['', null],
  ];
  for (const [text, want] of v1) t.equal(parseV1Limit(text), want, `v1 limit ${JSON.stringify(text)}`);
  const v2: [string, ReturnType<typeof parseV2Max>][] = [
    ['max\n', 'unlimited'],
    ['134217728\n', 128 * MiB],
    ['0', 0],
    ['12abc', null],
  ];
  for (const [text, want] of v2) t.equal(parseV2Max(text), want, `v2 max ${JSON.stringify(text)}`);
  t.equal(parseUsage('786432\n'), 786432);
  t.equal(parseUsage('n/a'), null);
  const oom: [string, number | null][] = [
    ['oom_kill_disable 0\nunder_oom 0\noom_kill 1\n', 1],
    ['low 0\nhigh 0\nmax 17\noom 3\noom_kill 2\noom_group_kill 0\n', 2],
    ['oom_kill_disable 0\nunder_oom 0\n', null], // v1 before Linux 4.13
    ['', null],
  ];
  for (const [text, want] of oom) t.equal(parseOomKills(text), want, `oom ${JSON.stringify(text)}`);
});

t.test("a cgroup directory's files -> limit, usage, OOM kills", async (t) => {
  const rec = 'debian12-hybrid-recorded';
  const pi4 = 'pi4-bookworm-v2';
  const rows: { name: string; host: string; version: 'v1' | 'v2'; dir: string; want: ReturnType<typeof parseCgroupMemory> }[] = [
    {
      name: 'recorded container -m 64m',
      host: rec,
      version: 'v1',
      dir: '/sys/fs/cgroup/memory/docker/5b2464283f6f55a51a12f53063db88a2594b319c6624df4664a67bebc6af9fa1',
      want: { limit: 64 * MiB, usageBytes: 401408, oomKills: 0 },
    },
    {
      name: 'recorded container -m 16m after an OOM kill',
      host: rec,
      version: 'v1',
      dir: '/sys/fs/cgroup/memory/docker/9de75d9c87e64a04a316c84a5862d8520f0e0fb749d69a44875b63667f80b540',
      want: { limit: 16 * MiB, usageBytes: 585728, oomKills: 1 },
    },
    {
      name: 'recorded agent cgroup, no limit',
      host: rec,
      version: 'v1',
      dir: '/sys/fs/cgroup/memory/process_api/42b883c4f5c368238cf3d4f7d7442c5b',
      want: {
        limit: 'unlimited',
        usageBytes: Number(fixture(rec, '/sys/fs/cgroup/memory/process_api/42b883c4f5c368238cf3d4f7d7442c5b', 'memory.usage_in_bytes').trim()),
        oomKills: 0,
      },
    },
    {
      name: 'v2 container 128M with OOM kills',
      host: pi4,
      version: 'v2',
      dir: '/sys/fs/cgroup/system.slice/docker-3f1c9a0b7d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90.scope',
      want: { limit: 128 * MiB, usageBytes: 50 * MiB, oomKills: 2 },
    },
    {
      name: 'v2 container without limit',
      host: pi4,
      version: 'v2',
      dir: '/sys/fs/cgroup/system.slice/docker-a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1.scope',
      want: { limit: 'unlimited', usageBytes: 8650752, oomKills: 0 },
    },
    {
      name: 'v2 agent service 256M',
      host: pi4,
      version: 'v2',
      dir: '/sys/fs/cgroup/system.slice/muster-agent.service',
      want: { limit: 256 * MiB, usageBytes: 40 * MiB, oomKills: 0 },
    },
  ];
  for (const r of rows) {
    const names = MEMORY_FILES[r.version];
    const files = { limit: fixture(r.host, r.dir, names.limit), usage: fixture(r.host, r.dir, names.usage), events: fixture(r.host, r.dir, names.events) };
    t.same(parseCgroupMemory(r.version, files), r.want, r.name);
  }
  t.equal(parseCgroupMemory('v2', {}), null, 'no limit file: the controller is missing');
  t.equal(parseCgroupMemory('v1', { limit: 'junk' }), null, 'unreadable limit');
  t.same(parseCgroupMemory('v2', { limit: 'max' }), { limit: 'unlimited', usageBytes: null, oomKills: null }, 'only the limit file');
});
