/**
 * End to end: `muster deploy` onto 2 lab hosts prepared by the builtin site playbook (Docker and the agent),
 * the busybox test image loaded into each host's dockerd: a global service, 4 replicas with a 64 MB memory
 * limit (read back from the containers' cgroup files), a service constrained to a label; a re-deploy keeps
 * everything, scaling writes only the difference, --dry-run changes nothing, an impossible constraint exits 2;
 * a start-first update, and a failing one rolled back. Then the fleet's edges (edge.ts) and --ship-images
 * (ship.ts), on the same lab: site takes minutes per lab.
 */
import t from 'tap';
import { IMAGE, skipReason } from '../../agent/e2e/lab.js';
import { exec } from '../../lab/lab.mjs';
import { edgeTests } from './edge.js';
import { shipTests } from './ship.js';
import { SLEEPER, startFleet, tail } from './support.js';

const skip = skipReason();
if (skip) {
  t.comment(`skipped: ${skip}`);
  process.exit(0);
}

// site alone takes minutes on a shared machine: the whole file may take longer than .taprc's 600 s
t.setTimeout(1_800_000);
const fleet = await startFleet('deploy8', 2, { h01: { muster_labels: { disk: 'ssd' } }, h02: { muster_labels: { board: 'pi' } } });
t.teardown(() => fleet.lab.stop());
const { lab, inventory: inv, muster, stackFile, containers, everywhere } = fleet;

const demo = (webReplicas: number) =>
  stackFile(
    'demo',
    `services:
  node-agent:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy: { mode: global }
  web:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy:
      replicas: ${webReplicas}
      resources: { limits: { memory: 64m } }
  fast:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy:
      placement: { constraints: ["node.labels.disk == ssd"] }
`,
  );

const services = (c: Record<string, string>) =>
  Object.keys(c)
    .map((n) => n.replace(/\.[0-9a-f]{8}$/, ''))
    .sort();

/** The memory limit in a container's cgroup file, read inside the lab host (v2 memory.max, else v1 memory.limit_in_bytes). */
async function cgroupMemory(host: string, name: string): Promise<string> {
  const script = `pid=$(docker inspect -f '{{.State.Pid}}' ${name})
p=$(sed -n 's/^0:://p' /proc/$pid/cgroup)
if [ -n "$p" ] && [ -f "/sys/fs/cgroup$p/memory.max" ]; then cat "/sys/fs/cgroup$p/memory.max"
else cat "/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:[^:]*memory[^:]*://p' /proc/$pid/cgroup)/memory.limit_in_bytes"; fi`;
  const r = await exec(lab, host, script);
  return r.stdout.trim() || r.stderr.trim();
}

t.test('site prepares both hosts; the test image is loaded into each dockerd', async (t) => {
  const site = await fleet.prepare();
  t.equal(site.code, 0, 'site: exit 0', { output: tail(site.out) });
  for (const h of lab.hosts)
    t.equal((await exec(lab, h.name, `docker image inspect ${IMAGE} >/dev/null && echo ok`)).stdout.trim(), 'ok', `${h.name} has ${IMAGE}`);
});

t.test('--dry-run shows the plan and changes nothing', async (t) => {
  const r = await muster('deploy', '-i', inv, demo(4), '--dry-run');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /plan: 7 to create\n/);
  t.match(r.out, /create\s+fast\.1\s+h01\s/);
  t.same(await containers('h01'), {});
  t.same(await containers('h02'), {});
});

let before: Record<string, string> = {};
t.test('deploy: global on both, 4 web spread 2+2 with the 64 MB limit in their cgroups, fast on the ssd node', async (t) => {
  const started = Date.now();
  const r = await muster('deploy', '-i', inv, demo(4));
  const seconds = (Date.now() - started) / 1000;
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.comment(`deploy of 7 replicas onto 2 hosts: ${seconds.toFixed(1)} s`);
  t.comment(r.out.trimEnd());
  t.match(r.out, /deploy demo: 7\/7 replicas running in/);
  const h01 = await containers('h01');
  const h02 = await containers('h02');
  t.same(
    services(h01).filter((s) => !s.includes('web')),
    ['demo_fast.1', 'demo_node-agent.0'],
  );
  t.same(
    services(h02).filter((s) => !s.includes('web')),
    ['demo_node-agent.0'],
  );
  t.equal(services(h01).filter((s) => s.includes('web')).length, 2, 'web spread: 2 on h01');
  t.equal(services(h02).filter((s) => s.includes('web')).length, 2, 'and 2 on h02');
  for (const [host, list] of [
    ['h01', h01],
    ['h02', h02],
  ] as const)
    for (const name of Object.keys(list).filter((n) => n.includes('_web.')))
      t.equal(await cgroupMemory(host, name), String(64 * 1024 * 1024), `${name}: 64 MB in its cgroup`);
  before = await everywhere();
  t.equal(Object.keys(before).length, 7);
});

t.test('a second deploy keeps everything: no container replaced', async (t) => {
  const r = await muster('deploy', '-i', inv, demo(4));
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /plan: 7 to keep\n/);
  t.same(await everywhere(), before, 'the same containers, same ids');
});

t.test('scaling web 4 -> 2 removes two and touches nothing else; 2 -> 3 adds one', async (t) => {
  const down = await muster('deploy', '-i', inv, demo(2));
  t.equal(down.code, 0, 'exit 0', { output: tail(down.out) });
  t.match(down.out, /plan: 5 to keep, 2 to remove\n/);
  const now = await everywhere();
  t.equal(Object.keys(now).length, 5);
  for (const [name, id] of Object.entries(now)) t.equal(id, before[name], `${name} kept`);
  const up = await muster('deploy', '-i', inv, demo(3));
  t.equal(up.code, 0, 'exit 0', { output: tail(up.out) });
  t.match(up.out, /plan: 1 to create, 5 to keep\n/);
  const after = await everywhere();
  t.equal(Object.keys(after).length, 6);
  t.equal(Object.keys(after).filter((k) => after[k] !== before[k]).length, 1, 'one new container, the others the same');
});

t.test('an impossible constraint exits 2 with the reason; other stacks stay', async (t) => {
  const bad = stackFile(
    'bad',
    `services:\n  db:\n    image: ${IMAGE}\n    command: ${SLEEPER}\n    deploy:\n      placement: { constraints: ["node.labels.disk == nvme"] }\n`,
  );
  const r = await muster('deploy', '-i', inv, bad);
  t.equal(r.code, 2, 'exit 2', { output: tail(r.out) });
  t.match(r.out, /unplaced: db\.1: no suitable node \(constraint node\.labels\.disk==nvme on 2 nodes\)/);
  t.equal(Object.keys(await everywhere()).length, 6, 'demo untouched');
});

const roll = (version: number, command = SLEEPER) =>
  stackFile(
    'roll',
    `services:
  web:
    image: ${IMAGE}
    command: ${command}
    environment: { VERSION: "${version}" }
    deploy:
      replicas: 2
      update_config: { order: start-first, parallelism: 1, monitor: 1s, failure_action: rollback }
`,
  );
const rollContainers = async () => Object.fromEntries(Object.entries(await everywhere()).filter(([k]) => k.includes('/roll_')));

t.test('a start-first update replaces the replicas one at a time; a failing update rolls back', async (t) => {
  const first = await muster('deploy', '-i', inv, roll(1));
  t.equal(first.code, 0, 'exit 0', { output: tail(first.out) });
  const v1 = await rollContainers();
  t.equal(Object.keys(v1).length, 2);

  const second = await muster('deploy', '-i', inv, roll(2));
  t.equal(second.code, 0, 'exit 0', { output: tail(second.out) });
  t.match(second.out, /plan: 2 to replace\n/);
  t.match(
    second.out,
    /update web\.1 \(start-first\)\n[^]*update web\.1 \(start-first\): old out\n[^]*update web\.2 \(start-first\)\n/,
    'one at a time, the new one first',
  );
  const v2 = await rollContainers();
  t.equal(Object.keys(v2).length, 2);
  t.notOk(
    Object.keys(v2).some((k) => k in v1),
    'new names: the spec hash changed',
  );

  const bad = await muster('deploy', '-i', inv, roll(3, `["sh", "-c", "exit 3"]`));
  t.equal(bad.code, 2, 'exit 2', { output: tail(bad.out) });
  t.match(
    bad.out,
    /FAILED web\.1 \(roll_web\.1\.[0-9a-f]{8}\) on h0\d: (exited \(exit code 3\)|restarted \d+ time\(s\)( \(exit code 3\))?$|restarted \(it stopped and was started again)/m,
  );
  t.match(bad.out, /rolled back: web\n/);
  t.same(await rollContainers(), v2, 'the previous replicas run on, untouched');
  t.comment(bad.out.trimEnd());
});

edgeTests(t, fleet);
shipTests(t, fleet);
