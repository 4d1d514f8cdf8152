/** The state tag of a report: the readings that drift leave it alone, everything the manager acts on moves it. */
import t from 'tap';
import { BASELINE_STEP, reportStateTag } from '../../shared/report-state.js';
import type { NodeReport } from '../../shared/wire.js';
import { containerReport, sampleReport } from '../agent/sample-report.js';

const MiB = 1024 * 1024;
const base = sampleReport();
const tag = reportStateTag(base);
type Edit = (r: NodeReport) => void;
const edited = (edit: Edit): NodeReport => {
  const r = structuredClone(base);
  edit(r);
  return r;
};

t.test('a state tag is s and 22 base64url characters, the same for the same report', async (t) => {
  t.match(tag, /^s[A-Za-z0-9_-]{22}$/);
  t.equal(reportStateTag(structuredClone(base)), tag);
});

t.test('the readings that drift on every collection leave the tag alone', async (t) => {
  const rows: [string, Edit][] = [
    ['collectedAt', (r) => void (r.collectedAt = '2026-01-02T03:04:15.000Z')],
    ['load', (r) => void (r.node.load = [1.5, 1, 0.5])],
    ['uptime', (r) => void (r.node.uptimeS = 86422.5)],
    ['available memory', (r) => void (r.node.memory && (r.node.memory.availableBytes -= 3 * MiB))],
    ['free swap', (r) => void (r.node.memory && (r.node.memory.swapFreeBytes -= MiB))],
    ['free disk', (r) => void (r.node.disks[0] = { ...r.node.disks[0], freeBytes: 1e9, availableBytes: 5e8 })],
    ["a container's memory in use", (r) => void (r.containers[0].usageBytes = 51 * MiB)],
    ["a container's memory unknown", (r) => void (r.containers[1].usageBytes = null)],
    ["the agent's own memory in use", (r) => void (r.cgroups.agent.usageBytes = 41 * MiB)],
    [
      'the baseline by a few MB',
      (r) => void (r.baseline = { ...r.baseline, dockerdBytes: (r.baseline.dockerdBytes ?? 0) + 2 * MiB, totalBytes: r.baseline.totalBytes + 2 * MiB }),
    ],
    ['a hardware section', (r) => void Object.assign(r, { hardware: { ageS: 12, temperatureC: 51.2 } })],
  ];
  for (const [why, edit] of rows) t.equal(reportStateTag(edited(edit)), tag, why);
  const all = edited((r) => {
    for (const [, edit] of rows) edit(r);
  });
  t.equal(reportStateTag(all), tag, 'all of them at once');
});

t.test('what the manager acts on moves the tag', async (t) => {
  const rows: [string, Edit][] = [
    ['a container stopped', (r) => void (r.containers[0].state = 'exited')],
    ['a container turned unhealthy', (r) => void (r.containers[0].health = 'unhealthy')],
    ['a container restarted', (r) => void (r.containers[0].restarts += 1)],
    ['a container was OOM-killed', (r) => void (r.containers[0].oomKills = 3)],
    ['an exit code', (r) => void (r.containers[0].exitCode = 137)],
    ['a container started anew', (r) => void (r.containers[0].startedAt = '2026-01-02T03:04:10.000Z')],
    ['a container added', (r) => void r.containers.push(containerReport({ name: 'web_api.2', id: 'f00d', replica: 2 }))],
    ['a container gone', (r) => void r.containers.pop()],
    ['a limit no longer enforced', (r) => void (r.containers[0].limitMismatch = true)],
    ['drained', (r) => void (r.node.availability = 'drain')],
    ['a label', (r) => void (r.node.labels = { zone: 'shelf 2' })],
    ['more memory', (r) => void (r.node.memory && (r.node.memory.totalBytes += 1024 * MiB))],
    ['another disk', (r) => void r.node.disks.push({ path: '/data', totalBytes: 1e12, freeBytes: 1e12, availableBytes: 1e12 })],
    ['memory limits no longer enforced', (r) => void (r.cgroups.memory = { enabled: false, enforced: false, reason: 'cgroup_disable=memory' })],
    ['Docker down', (r) => void (r.docker = { ...r.docker, reachable: false, error: 'connect ENOENT' })],
    ['a new generation', (r) => void (r.reconcile = { ...r.reconcile, generation: 8 })],
    ['not converged', (r) => void (r.reconcile = { ...r.reconcile, converged: false })],
    ['an error', (r) => void (r.reconcile = { ...r.reconcile, lastError: 'pull failed' })],
    ['a volume', (r) => void (r.volumes = [{ name: 'web_data', stack: 'web' }])],
    ['an image', (r) => void (r.images = [{ id: 'sha256:aa', tags: ['nginx:1'], os: 'linux', arch: 'arm64' }])],
    ['a port taken', (r) => void (r.portsInUse = [{ port: 8080, protocol: 'tcp' }])],
    ['another agent version', (r) => void (r.agentVersion = '0.2.0')],
  ];
  const seen = new Set([tag]);
  for (const [why, edit] of rows) {
    const other = reportStateTag(edited(edit));
    t.not(other, tag, why);
    seen.add(other);
  }
  t.equal(seen.size, rows.length + 1, 'each change its own tag');
});

t.test('the baseline counts in steps: a jump moves the tag, a drift within a step does not', async (t) => {
  const withBaseline = (bytes: number) => reportStateTag({ ...base, baseline: { ...base.baseline, totalBytes: bytes } });
  t.equal(BASELINE_STEP, 64 * MiB);
  // steps are rounded to the nearest: [1.5, 2.5) steps is step 2
  t.equal(withBaseline(1.5 * BASELINE_STEP), withBaseline(2.5 * BASELINE_STEP - 1), 'the ends of one step');
  t.not(withBaseline(1.5 * BASELINE_STEP - 1), withBaseline(1.5 * BASELINE_STEP), 'one byte below its start');
  t.not(withBaseline(2.5 * BASELINE_STEP), withBaseline(2.5 * BASELINE_STEP - 1), 'at the start of the next');
  t.not(withBaseline(100 * MiB), withBaseline(600 * MiB), 'k3s started: +500 MB');
});
