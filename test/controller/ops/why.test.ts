import t from 'tap';
import { replicaWhy } from '../../../controller/ops/why.js';
import type { ContainerReport, NodeReport } from '../../../shared/wire.js';
import { spec } from '../deploy/fixtures.js';
import { report, running } from './fixtures.js';

const s = spec('web', 1, 'aaaaaaaa', { memoryLimit: 64 << 20 });
const cgroup = (memoryLimit: number | 'unlimited' | null, source: ContainerReport['enforced']['source'] = 'cgroup') => ({
  memoryLimit,
  cpus: null,
  pidsLimit: null,
  source,
  cgroupDir: null,
});
const withReconcile = (r: NodeReport, more: Partial<NodeReport['reconcile']>): NodeReport => ({ ...r, reconcile: { ...r.reconcile, ...more } });

t.test('why, from the report', async (t) => {
  const base = report([]);
  const rows: [string, Partial<ContainerReport> | undefined, NodeReport, string][] = [
    ['all well', running(s), base, ''],
    ['not created, nothing said', undefined, base, 'not created yet'],
    ['not created, the agent waits', undefined, withReconcile(base, { waitingFor: 'no desired set received' }), 'the agent waits: no desired set received'],
    [
      "the agent's error naming it",
      undefined,
      withReconcile(base, { lastError: `create ${s.name}: port 8080 taken` }),
      `the agent: create ${s.name}: port 8080 taken`,
    ],
    ["another container's error is not its own", running(s), withReconcile(base, { lastError: 'create demo_db.1.bbbbbbbb: boom' }), ''],
    ['exited with a code', running(s, { state: 'exited', exitCode: 3 }), base, 'exited (exit code 3)'],
    ['dead', running(s, { state: 'dead', exitCode: null }), base, 'dead'],
    ['unhealthy', running(s, { health: 'unhealthy' }), base, 'unhealthy: its healthcheck fails'],
    ['restarted while running', running(s, { restarts: 2 }), base, 'restarted 2 time(s)'],
    ['OOM-killed', running(s, { oomKills: 1, enforced: cgroup(64 << 20) }), base, 'OOM-killed 1 time(s) (memory limit 64M)'],
    [
      'a limit the kernel enforces differently',
      running(s, {
        limitMismatch: true,
        asked: { memoryLimit: 64 << 20, memoryReservation: null, cpus: null, pidsLimit: null },
        enforced: cgroup('unlimited'),
      }),
      base,
      'memory limit not enforced as asked (asked 64M, the kernel enforces no limit)',
    ],
  ];
  for (const [why, c, r, want] of rows) t.equal(replicaWhy(s, c ? { ...report([c]).containers[0] } : undefined, r), want, why);
});
