import t from 'tap';
import { join } from 'node:path';
import type { ContainerSpec, NodeReport } from '../../../shared/wire.js';
import {
  SLEEPER,
  api,
  buildBundle,
  cgroupCpuPids,
  cgroupLimit,
  docker,
  ensureImage,
  eventually,
  IMAGE,
  removeScope,
  scoped,
  skipReason,
  startAgentProcess,
  type AgentProcess,
} from './lab.js';

// End to end against the machine's dockerd: the bundled agent, real containers, real cgroup files.
// Only containers labelled with this run's scope are created, inspected or removed.
const SOCKET = '/var/run/docker.sock';
const skip = skipReason(SOCKET);
const MiB = 1024 * 1024;
const scope = `e2e-${process.pid}`;
const tag = scope.replace(/\W/g, '');

const spec = (n: number, memoryMiB: number): ContainerSpec => ({
  name: `${tag}_svc.${n}`,
  stack: tag,
  service: 'svc',
  replica: n,
  image: IMAGE,
  command: SLEEPER,
  memoryLimit: memoryMiB * MiB,
  memoryReservation: 8 * MiB,
  cpus: 0.25,
  pidsLimit: 32,
});

const report = async (agent: AgentProcess): Promise<NodeReport> => (await api(agent.url, 'GET', '/v1/report')).json as NodeReport;
const running = (names: string[]) => () => {
  const seen = scoped(SOCKET, scope);
  return seen.length === names.length && seen.every((c, i) => c.name === names[i] && c.state === 'running') ? seen : undefined;
};

t.test('agent against a real dockerd', { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  removeScope(SOCKET, scope);
  t.teardown(() => removeScope(SOCKET, scope));
  const dir = t.testdir({ state: {} });
  const bundle = await buildBundle(dir);
  const stateDir = join(dir, 'state');
  let agent = await startAgentProcess(bundle, { stateDir, scope, socket: SOCKET });
  t.teardown(async () => {
    if (agent.child.exitCode === null) await agent.kill();
  });
  try {
    await scenario();
  } catch (e) {
    t.comment(`agent log:\n${agent.log()}\ncontainers: ${JSON.stringify(scoped(SOCKET, scope))}`);
    throw e;
  }

  async function scenario(): Promise<void> {
    // Containers that are not this agent's: one without labels, one of another scope. They must survive.
    const strangers = [
      docker(SOCKET, 'run', '-d', '--name', `${tag}_stranger`, IMAGE, ...SLEEPER),
      docker(SOCKET, 'run', '-d', '--name', `${tag}_other`, '--label', 'io.muster.managed=another-agent', IMAGE, ...SLEEPER),
    ];
    t.teardown(() => void docker(SOCKET, 'rm', '-f', ...strangers));
    // 1. Three containers with memory limits -> running, and the limits are in their cgroup files.
    const three = [spec(1, 32), spec(2, 48), spec(3, 64)];
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 1, containers: three })).status, 200);
    const seen = await eventually('three running containers', running(three.map((s) => s.name)));
    for (const [i, c] of seen.entries()) {
      t.equal(c.memory, three[i].memoryLimit, `${c.name}: Docker was asked for the limit`);
      t.equal(cgroupLimit(c.pid), String(three[i].memoryLimit), `${c.name}: the kernel enforces it`);
    }
    const r1 = await eventually('a converged report with three containers', async () => {
      const r = await report(agent);
      return r.reconcile.converged && r.containers.length === 3 && r.containers.every((c) => c.enforced.source === 'cgroup') ? r : undefined;
    });
    for (const c of r1.containers) {
      const s = three.find((x) => x.name === c.name)!;
      t.match(
        c,
        {
          state: 'running',
          asked: { memoryLimit: s.memoryLimit, cpus: 0.25, pidsLimit: 32, memoryReservation: 8 * MiB },
          limitMismatch: false,
          cpuMismatch: false,
          pidsMismatch: false,
        },
        `${c.name}: report`,
      );
      const pid = seen.find((x) => x.name === c.name)!.pid;
      t.equal(String(c.enforced.memoryLimit), cgroupLimit(pid), `${c.name}: the report's enforced limit is the cgroup file's`);
      const files = cgroupCpuPids(pid);
      t.same(files, { cpu: '25000/100000', pids: '32' }, `${c.name}: the kernel enforces --cpus 0.25 and the pids limit`);
      t.match(c.enforced, { cpus: 0.25, pidsLimit: 32 }, `${c.name}: the report's CPU and pids limits are the cgroup files'`);
    }
    t.match(r1, { docker: { reachable: true, memoryLimit: true }, cgroups: { memory: { enforced: true } }, reconcile: { generation: 1, desiredCount: 3 } });
    const metrics = await fetch(new URL('/metrics', agent.url), { headers: { authorization: 'Bearer e2e-token-0123456789abcdef' } }).then((r) => r.text());
    t.match(metrics, new RegExp(`muster_container_memory_limit_enforced_bytes\\{name="${three[0].name}"[^}]*\\} ${32 * MiB}`));

    // 2. docker kill one -> the agent brings the same container back.
    const victim = seen[1];
    docker(SOCKET, 'kill', victim.id);
    const back = await eventually('the killed container running again', () => {
      const c = scoped(SOCKET, scope).find((x) => x.id === victim.id);
      return c && c.state === 'running' && c.startedAt !== victim.startedAt ? c : undefined;
    });
    t.equal(back.id, victim.id, 'restarted, not replaced');
    t.equal(scoped(SOCKET, scope).length, 3, 'no duplicate');
    const counted = await eventually('the restart counted in the report', async () =>
      (await report(agent)).containers.find((c) => c.name === victim.name && c.restarts === 1),
    );
    t.match(counted, { state: 'running', restarts: 1 }, 'the report counts the restart');

    // 3. Removed from the set -> gone.
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 2, containers: [three[0], three[2]] })).status, 200);
    await eventually('the removed container gone', running([three[0].name, three[2].name]));
    t.pass('container 2 removed, 1 and 3 untouched');

    // 4. Kill the agent mid-reconcile, restart it: converges with no duplicate container.
    const five = [1, 2, 3, 4, 5].map((n) => spec(n, 24));
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 3, containers: five })).status, 200);
    await eventually('the agent busy with generation 3', () => /generation 3/.test(agent.log()));
    await agent.kill();
    const during = scoped(SOCKET, scope);
    t.ok(during.length <= 5, `killed mid-way with ${during.length} container(s)`);
    agent = await startAgentProcess(bundle, { stateDir, scope, socket: SOCKET });
    t.match(agent.log(), /desired generation 3/, 'the desired set came back from disk');
    const after = await eventually('five running containers after the restart', running(five.map((s) => s.name)));
    t.same(
      after.map((c) => c.memory),
      five.map(() => 24 * MiB),
      'every one replaced to the new spec',
    );
    t.equal(new Set(after.map((c) => c.name)).size, 5, 'no duplicate names');
    t.equal(scoped(SOCKET, scope).length, 5, 'no extra container');

    // 5. Stopped cleanly, nothing left behind once the set is empty.
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 4, containers: [] })).status, 200);
    await eventually('all removed', () => scoped(SOCKET, scope).length === 0);
    t.equal(await agent.stop(), 0, 'SIGTERM: exit 0');
    const alive = JSON.parse(docker(SOCKET, 'inspect', ...strangers)) as { State: { Status: string; StartedAt: string } }[];
    t.same(
      alive.map((c) => c.State.Status),
      ['running', 'running'],
      'containers without our label were never touched',
    );
  }
});

t.test('a killed container is started again on Docker event, long before the next tick', { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  const eventScope = `${scope}-events`;
  removeScope(SOCKET, eventScope);
  t.teardown(() => removeScope(SOCKET, eventScope));
  const dir = t.testdir({ state: {} });
  const bundle = await buildBundle(dir);
  // A 5-minute interval: only the event can explain a quick return.
  const agent = await startAgentProcess(bundle, { stateDir: join(dir, 'state'), scope: eventScope, socket: SOCKET, intervalS: 300 });
  t.teardown(async () => {
    if (agent.child.exitCode === null) await agent.kill();
  });
  const one = { ...spec(1, 32), name: `${tag}_events.1`, service: 'events' };
  t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 1, containers: [one] })).status, 200);
  const [first] = await eventually('the container running', () => {
    const seen = scoped(SOCKET, eventScope);
    return seen.length === 1 && seen[0].state === 'running' ? seen : undefined;
  });
  await new Promise((r) => setTimeout(r, 1500)); // the loop has gone to sleep for its interval, the start's events are in
  t.match((await report(agent)).containers, [{ id: first.id, state: 'running', restarts: 0 }], 'a report collected and cached before the kill');
  const killedAt = Date.now();
  docker(SOCKET, 'kill', first.id);
  const back = await eventually(
    'the killed container running again',
    () => {
      const c = scoped(SOCKET, eventScope)[0];
      return c && c.state === 'running' && c.startedAt !== first.startedAt ? c : undefined;
    },
    30_000,
  );
  const took = Date.now() - killedAt;
  t.equal(back.id, first.id, 'restarted, not replaced');
  t.ok(took < 10_000, `back after ${took} ms with a 300 s interval`);
  t.ok(await eventually('the start in the log', () => /start \S*events\.1: exited/.test(agent.log()), 5_000), 'the agent logged the start');
  // The report is collected again after the events, not served from before the kill for up to 2 intervals.
  const fresh = await eventually(
    'the report showing the restart',
    async () => (await report(agent)).containers.find((c) => c.id === first.id && c.state === 'running' && c.restarts === 1),
    10_000,
  );
  t.match(fresh, { state: 'running', restarts: 1 }, 'GET /v1/report is fresh after a Docker event');
  t.equal(await agent.stop(), 0);
});
