import t from 'tap';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec } from '../../../shared/wire.js';
import { SLEEPER, api, buildBundle, ensureImage, eventually, IMAGE, linkIndex, netnsOf, scoped, skipReason, startAgentProcess } from './lab.js';

// Restarting the machine's dockerd would stop everyone else's containers, so this test runs a dockerd of its
// own and restarts that one. It lives in a network namespace of its own: a dockerd started with
// `--bridge none` deletes any `docker0` it can see, and on the host that is the shared dockerd's bridge
// (seen on this machine: every other container start broke). Every name carries the PID so that
// concurrent runs never meet.
const tag = `muster-dr-${process.pid}`;
const netns = tag;
const base = `/tmp/muster-e2e-dockerd-${process.pid}`;
const socket = join(base, 'docker.sock');
const scope = `e2e-dockerd-${process.pid}`;

const CAP_SYS_ADMIN = 21;

function hasCommand(cmd: string, ...args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function whyNot(): string | undefined {
  if (process.env.MUSTER_PRIVATE_DOCKERD === '0') return 'MUSTER_PRIVATE_DOCKERD=0';
  if (process.getuid?.() !== 0) return 'a private dockerd needs root';
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (!capEff || (BigInt(`0x${capEff}`) & (1n << BigInt(CAP_SYS_ADMIN))) === 0n)
    return 'no CAP_SYS_ADMIN: cannot make a network namespace for the private dockerd';
  if (!hasCommand('dockerd', '--version')) return 'no dockerd binary (apt-get install -y docker.io)';
  if (!hasCommand('ip', '-V') || !hasCommand('nsenter', '--version')) return 'no ip or nsenter (apt-get install -y iproute2 util-linux)';
  if (!existsSync('/bin/busybox')) return 'no /bin/busybox (apt-get install -y busybox-static)';
  return undefined;
}

/** A namespace with only a loopback link: whatever dockerd does to links happens in there. */
function makeNetns(): void {
  if (existsSync(`/run/netns/${netns}`)) throw new Error(`network namespace ${netns} exists already (a crashed run with this PID?): ip netns del ${netns}`);
  execFileSync('ip', ['netns', 'add', netns], { stdio: 'pipe' });
  execFileSync('nsenter', [`--net=/run/netns/${netns}`, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
}

// nsenter enters the network namespace only. `ip netns exec` would also remount /sys in a mount namespace of
// its own, hiding the cgroup hierarchies under /sys/fs/cgroup that dockerd needs.
function startDockerd(): ChildProcess {
  mkdirSync(join(base, 'data'), { recursive: true });
  mkdirSync(join(base, 'exec'), { recursive: true });
  // An empty config file: /etc/docker/daemon.json belongs to the shared dockerd.
  writeFileSync(join(base, 'daemon.json'), '{}\n');
  const args = [
    `--net=/run/netns/${netns}`,
    'dockerd',
    '--config-file',
    join(base, 'daemon.json'),
    '--host',
    `unix://${socket}`,
    '--data-root',
    join(base, 'data'),
    '--exec-root',
    join(base, 'exec'),
    '--pidfile',
    join(base, 'docker.pid'),
    '--bridge',
    'none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-masq=false',
    // Should dockerd pick up a system containerd instead of starting its own, it still stays out of others' way.
    '--containerd-namespace',
    tag,
    '--containerd-plugins-namespace',
    `${tag}-plugins`,
  ];
  const log = openSync(join(base, 'dockerd.log'), 'a');
  try {
    return spawn('nsenter', args, { stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
}

/**
 * Stops the private dockerd as `systemctl restart docker` would: dockerd and its containerd both gone. dockerd
 * may exit before the containerd it supervises; a dockerd started meanwhile would attach to that dying
 * containerd through its pidfile (seen: its tasks then failed with "already exists" for good).
 */
async function stopDockerd(d: ChildProcess, graceMs = 60_000): Promise<void> {
  if (d.exitCode === null && d.signalCode === null) {
    const gone = new Promise((r) => d.once('exit', r));
    d.kill('SIGTERM');
    const timer = setTimeout(() => d.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
  // Shims may outlive both, as they do under systemd's KillMode=process: the next containerd adopts them.
  await eventually('the private containerd exiting', () => privateContainerd().length === 0, graceMs).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; still running: ${privateContainerd().map(describe).join('; ')}`);
  });
}

/** The containerd that the private dockerd supervises (by its config under the exec root). */
function privateContainerd(): number[] {
  return processesUnder(join(base, 'exec')).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].split('/').pop() === 'containerd';
    } catch {
      return false;
    }
  });
}

function describe(pid: number): string {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 200)}`;
  } catch {
    return `${pid} (gone)`;
  }
}

function dockerdLog(): string {
  try {
    return readFileSync(join(base, 'dockerd.log'), 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no log)';
  }
}

/** PIDs of processes whose command line names `dir` (the agent and docker CLI by the socket; containerd and its shims by the exec root). */
function processesUnder(dir = base): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(dir)) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function childrenOf(parents: number[]): number[] {
  const set = new Set(parents);
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (set.has(ppid) && !set.has(Number(e))) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function mountsUnderBase(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => m !== undefined && (m === base || m.startsWith(`${base}/`)));
}

/**
 * Removes what the test made, its own things only: processes found by the directory in their command line
 * (killed by PID), mounts under the directory, the directory, the namespace. Safe to call twice.
 */
function cleanUp(): void {
  const ours = processesUnder();
  // Containers' first processes are the shims' children and do not name the directory: they go first (a PID
  // namespace dies with its first process).
  for (const pid of [...childrenOf(ours), ...ours]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  // Deepest first; a lazy unmount cannot block on a mount still in use.
  for (const m of mountsUnderBase().sort((a, b) => b.length - a.length)) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
  // rm -rf only once nothing is mounted under it, so it can never reach through a mount into other files.
  if (mountsUnderBase().length === 0) execFileSync('rm', ['-rf', base]);
  if (existsSync(`/run/netns/${netns}`)) execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
}

const spec = (n: number): ContainerSpec => ({
  name: `dr${process.pid}_svc.${n}`,
  stack: `dr${process.pid}`,
  service: 'svc',
  replica: n,
  image: IMAGE,
  command: SLEEPER,
  memoryLimit: 16 * 1024 * 1024,
});

const skip = whyNot();

t.test('dockerd restarts: the agent converges again, with no duplicate', { skip: skip ?? false }, async (t) => {
  // The shared bridge, if this machine has one: the same link (same index) must still be there at the end.
  const bridge = linkIndex('docker0');
  let dockerd: ChildProcess | undefined;
  let agent: Awaited<ReturnType<typeof startAgentProcess>> | undefined;
  t.teardown(async () => {
    if (agent && agent.child.exitCode === null && agent.child.signalCode === null) await agent.kill();
    // Whatever happened, cleanUp runs: it kills by PID what is left.
    if (dockerd) await stopDockerd(dockerd, 30_000).catch(() => undefined);
    cleanUp();
  });

  makeNetns();
  dockerd = startDockerd();
  await eventually('the private dockerd', () => skipReason(socket) === undefined, 60_000).catch((e: unknown) => {
    t.comment(`dockerd log:\n${dockerdLog()}`);
    throw e;
  });
  t.equal(netnsOf(dockerd.pid!), `net:[${statSync(`/run/netns/${netns}`).ino}]`, `the private dockerd runs in the namespace ${netns}`);
  t.not(netnsOf(dockerd.pid!), netnsOf('self'), 'the private dockerd runs in a network namespace of its own');
  t.equal(linkIndex('docker0'), bridge, 'the host docker0 is untouched by the private dockerd starting');
  ensureImage(socket);
  // Not t.testdir(): its name comes from the test's name, the same for a concurrent run of this file.
  const dir = join(base, 'agent');
  mkdirSync(join(dir, 'state'), { recursive: true });
  agent = await startAgentProcess(await buildBundle(dir), { stateDir: join(dir, 'state'), scope, socket });
  const three = [spec(1), spec(2), spec(3)];
  if (!t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 1, containers: three })).status, 200, 'the desired set of three is accepted')) return;
  const before = await eventually('three running', () => {
    const s = scoped(socket, scope);
    return s.length === 3 && s.every((c) => c.state === 'running') ? s : undefined;
  });

  await stopDockerd(dockerd);
  // Docker stays down until both the report and the reconciler have seen it gone (the reconciler may be
  // holding back after starts that failed during the shutdown, so its next observation can take a while).
  await eventually(
    'the agent noticing Docker is gone',
    async () =>
      (await api(agent!.url, 'GET', '/v1/report')).json.docker.reachable === false && /cannot observe containers: .*does not answer/.test(agent!.log()),
  );
  dockerd = startDockerd();
  await eventually('dockerd back', () => skipReason(socket) === undefined, 60_000);
  const after = await eventually(
    'three running again',
    () => {
      const s = scoped(socket, scope);
      return s.length === 3 && s.every((c) => c.state === 'running') ? s : undefined;
    },
    150_000,
  ).catch((e: unknown) => {
    t.comment(`agent log:\n${agent!.log()}\ncontainers: ${JSON.stringify(scoped(socket, scope))}\ndockerd log (end):\n${dockerdLog()}`);
    throw e;
  });
  t.same(
    after.map((c) => c.id),
    before.map((c) => c.id),
    'the same containers, started again',
  );
  t.ok(
    after.every((c, i) => c.startedAt !== before[i].startedAt),
    'each one restarted',
  );
  t.match(agent.log(), /cannot observe containers: .*does not answer/, 'the outage was logged');
  // Each distinct failure is logged once (a reset connection, then a refused one), not once per tick.
  t.ok((agent.log().match(/cannot observe containers/g)?.length ?? 0) <= 3, 'logged once per kind of failure, not every tick');
  t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 2, containers: [] })).status, 200, 'the empty desired set is accepted');
  await eventually('all removed', () => scoped(socket, scope).length === 0);
  t.equal(await agent.stop(), 0, 'the agent stops cleanly on SIGTERM');
  t.ok(readFileSync(join(base, 'docker.pid'), 'utf8').trim() !== '', 'dockerd pidfile present');

  await stopDockerd(dockerd);
  // With no container left, nothing of the engine outlives it: this is checked before cleanUp kills leftovers.
  const left = await eventually('the shims exiting', () => (processesUnder().length === 0 ? [] : undefined), 15_000).catch(() =>
    processesUnder().map(describe),
  );
  t.same(left, [], 'dockerd stopped: no process of it is left (containerd, shims)');
  cleanUp();
  t.same(mountsUnderBase(), [], 'nothing is left mounted under the test directory');
  t.notOk(existsSync(base), 'the test directory is removed');
  t.notOk(existsSync(`/run/netns/${netns}`), 'the network namespace is removed');
  t.equal(
    linkIndex('docker0'),
    bridge,
    bridge === undefined ? 'no docker0 on this machine, and none was made' : `the host docker0 (index ${bridge}) still exists, the same link`,
  );
});
