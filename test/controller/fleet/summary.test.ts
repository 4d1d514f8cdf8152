import t from 'tap';
import { DEFAULT_RESERVE_BYTES } from '../../../controller/fleet/allocatable.js';
import { rowFromReport } from '../../../controller/fleet/nodes-view.js';
import { limitsEnforced, summarise } from '../../../controller/fleet/summary.js';
import type { NodeReport } from '../../../shared/wire.js';
import { sampleReport } from '../../agent/sample-report.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const where = { node: 'pi4-a', address: '10.0.0.5', port: 7443 };

/** The sample report with this total and baseline. */
function report(totalBytes: number | null, baselineBytes: number | null): NodeReport {
  const r = sampleReport();
  if (totalBytes === null) delete (r.node as { memory?: unknown }).memory;
  else if (r.node.memory) r.node.memory.totalBytes = totalBytes;
  if (baselineBytes === null) delete (r as { baseline?: unknown }).baseline;
  else r.baseline.totalBytes = baselineBytes;
  return r;
}

t.test('the summary of the sample report, snake_case as playbook variables are', async (t) => {
  const r = sampleReport();
  const s = summarise(r);
  t.same(s, {
    hostname: 'pi4-a',
    arch: 'arm64',
    os: 'Debian GNU/Linux 12 (bookworm)',
    kernel: '6.6.51+rpt-rpi-v8',
    agent_version: '0.1.0',
    docker_version: s.docker_version,
    memory_total_bytes: 3885396 * 1024,
    memory_allocatable_bytes: 3885396 * 1024 - (74512 * 1024 + 40 * MiB) - 256 * MiB,
    memory_reserve_bytes: 256 * MiB,
    memory_limits_enforced: limitsEnforced(r).enforced,
    containers_running: s.containers_running,
  });
  t.equal(DEFAULT_RESERVE_BYTES, 256 * MiB, 'the default reserve is the one muster nodes uses');
});

t.test('allocatable memory is what muster nodes shows, on both sides of zero', async (t) => {
  const rows: [string, number | null, number | null, number, number | null][] = [
    ['total less baseline less reserve', 4 * GiB, 300 * MiB, 256 * MiB, 4 * GiB - 556 * MiB],
    ['one byte left', 1 * GiB, 768 * MiB - 1, 256 * MiB, 1],
    ['exactly used up', 1 * GiB, 768 * MiB, 256 * MiB, 0],
    ['more taken than there is: zero, never negative', 512 * MiB, 400 * MiB, 256 * MiB, 0],
    ['no reserve', 1 * GiB, 100 * MiB, 0, 924 * MiB],
    ['no baseline measured: only the reserve is kept back', 1 * GiB, null, 256 * MiB, 768 * MiB],
    ['total unknown', null, 100 * MiB, 256 * MiB, null],
  ];
  for (const [name, total, baseline, reserve, want] of rows) {
    const r = report(total, baseline);
    const s = summarise(r, reserve);
    t.equal(s.memory_allocatable_bytes, want, name);
    t.equal(s.memory_reserve_bytes, reserve, `${name}: the reserve is said`);
    t.equal(s.memory_allocatable_bytes, rowFromReport(where, r, reserve, 0).memory.allocatableBytes, `${name}: same as muster nodes`);
    t.equal(s.memory_total_bytes, total, `${name}: the total stays the total`);
  }
});

t.test('without a reserve given, the default one is kept back', async (t) => {
  const r = report(2 * GiB, 200 * MiB);
  t.equal(summarise(r).memory_allocatable_bytes, 2 * GiB - 200 * MiB - DEFAULT_RESERVE_BYTES);
  t.equal(summarise(r).memory_allocatable_bytes, rowFromReport(where, r, DEFAULT_RESERVE_BYTES, 0).memory.allocatableBytes);
});
