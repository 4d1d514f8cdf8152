/**
 * Helpers for the agent's end-to-end tests against a real dockerd: the busybox image, an agent process
 * (the single-file bundle), and the containers of one test scope.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, mkdirSync, copyFileSync, writeFileSync, readlinkSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAgent } from '../../../agent/bundle.js';

/** The image every e2e container runs: a static busybox, imported from a rootfs directory. */
export const IMAGE = 'muster-busybox:1';
/** The API token of e2e agents. */
export const TOKEN = 'e2e-token-0123456789abcdef';

/** Why the e2e tier cannot run here, or undefined when it can. */
export function skipReason(socket = '/var/run/docker.sock'): string | undefined {
  try {
    execFileSync('docker', ['-H', `unix://${socket}`, 'info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 15_000 });
  } catch {
    return `no dockerd answers at ${socket} (start dockerd to run the agent e2e tests)`;
  }
  if (!existsSync('/bin/busybox')) return 'no /bin/busybox (apt-get install -y busybox-static) to build the test image';
  return undefined;
}

/** docker CLI against one socket. */
export function docker(socket: string, ...args: string[]): string {
  return execFileSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).trim();
}

/** Builds muster-busybox:1 unless the engine has it: /bin/busybox plus a symlink per applet, docker import. */
export function ensureImage(socket: string): void {
  try {
    docker(socket, 'image', 'inspect', IMAGE);
    return;
  } catch {
    // not there yet
  }
  const root = mkdtempSync(join(tmpdir(), 'muster-busybox-'));
  try {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'tmp'));
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' })
      .split('\n')
      .filter((a) => a && a !== 'busybox');
    for (const a of applets) symlinkSync('busybox', join(root, 'bin', a));
    execFileSync('sh', ['-c', `tar -C "${root}" -c . | docker -H unix://${socket} import --change 'ENV PATH=/bin' - ${IMAGE}`], { stdio: 'pipe' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A command for test containers: stops at once on SIGTERM (busybox sh as PID 1 ignores it otherwise). */
export const SLEEPER = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

/** Builds the agent bundle once per test file. */
export async function buildBundle(dir: string): Promise<string> {
  const out = join(dir, 'muster-agent.mjs');
  await bundleAgent(out);
  return out;
}

/** An agent process. */
export interface AgentProcess {
  url: string;
  child: ChildProcess;
  log(): string;
  /** SIGTERM and wait */
  stop(): Promise<number | null>;
  /** SIGKILL and wait: no chance to finish anything */
  kill(): Promise<void>;
}

/** Starts the bundled agent on 127.0.0.1 (plain HTTP on loopback) for one scope and state directory. */
export async function startAgentProcess(bundle: string, opts: { stateDir: string; scope: string; socket: string; intervalS?: number }): Promise<AgentProcess> {
  const tokenFile = join(opts.stateDir, '..', 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const args = [
    bundle,
    '--insecure-http',
    '--listen',
    '127.0.0.1',
    '--port',
    '0',
    '--token-file',
    tokenFile,
    '--state-dir',
    opts.stateDir,
    '--scope',
    opts.scope,
    '--docker-socket',
    opts.socket,
    '--report-interval',
    String(opts.intervalS ?? 1),
  ];
  const child = spawn('node', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start: ${log}`)), 20_000);
    const check = (): void => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr!.on('data', check);
    void exited.then(() => reject(new Error(`agent exited: ${log}`)));
  });
  return {
    url,
    child,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Calls the agent API with the token. */
export async function api(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(new URL(path, url), {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** One container of a scope as `docker inspect` shows it. */
export interface Seen {
  id: string;
  name: string;
  state: string;
  pid: number;
  startedAt: string;
  memory: number;
}

/** The containers carrying the scope's managed label. */
export function scoped(socket: string, scope: string): Seen[] {
  const ids = docker(socket, 'ps', '-aq', '--no-trunc', '--filter', `label=io.muster.managed=${scope}`).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const all = JSON.parse(docker(socket, 'inspect', ...ids)) as any[];
  return all
    .map((c) => ({
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      state: c.State.Status,
      pid: c.State.Pid,
      startedAt: c.State.StartedAt,
      memory: c.HostConfig.Memory,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes every container of the scope (cleanup). */
export function removeScope(socket: string, scope: string): void {
  const ids = docker(socket, 'ps', '-aq', '--filter', `label=io.muster.managed=${scope}`).split('\n').filter(Boolean);
  if (ids.length > 0) docker(socket, 'rm', '-f', ...ids);
}

/** The memory limit in a running container's cgroup file, read straight from /sys (v1 or v2). */
export function cgroupLimit(pid: number): string {
  const lines = execFileSync('cat', [`/proc/${pid}/cgroup`], { encoding: 'utf8' }).split('\n');
  const v1 = lines.find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l));
  if (v1) return execFileSync('cat', [`/sys/fs/cgroup/memory${v1.split(':')[2]}/memory.limit_in_bytes`], { encoding: 'utf8' }).trim();
  const v2 = lines.find((l) => l.startsWith('0::'))!;
  return execFileSync('cat', [`/sys/fs/cgroup${v2.slice(3)}/memory.max`], { encoding: 'utf8' }).trim();
}

/** A running container's CPU quota (as `quota/period`, v1 or v2) and pids.max, read straight from /sys. */
export function cgroupCpuPids(pid: number): { cpu: string; pids: string } {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const v1 = (controller: string): string | undefined => lines.find((l) => new RegExp(`^\\d+:([^:]*,)?${controller}(,[^:]*)?:`).test(l))?.split(':')[2];
  const cpuPath = v1('cpu');
  const pidsPath = v1('pids');
  if (cpuPath !== undefined && pidsPath !== undefined) {
    const cpuMount = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct'].find((m) => existsSync(`${m}${cpuPath}/cpu.cfs_quota_us`))!;
    const read = (f: string): string => readFileSync(f, 'utf8').trim();
    return {
      cpu: `${read(`${cpuMount}${cpuPath}/cpu.cfs_quota_us`)}/${read(`${cpuMount}${cpuPath}/cpu.cfs_period_us`)}`,
      pids: read(`/sys/fs/cgroup/pids${pidsPath}/pids.max`),
    };
  }
  const v2 = lines.find((l) => l.startsWith('0::'))!.slice(3);
  const [max, period] = readFileSync(`/sys/fs/cgroup${v2}/cpu.max`, 'utf8').trim().split(' ');
  return { cpu: `${max}/${period}`, pids: readFileSync(`/sys/fs/cgroup${v2}/pids.max`, 'utf8').trim() };
}

/** Polls until `cond` holds. */
export async function eventually<T>(what: string, cond: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The interface index of a network link in this process's network namespace, undefined when absent. */
export function linkIndex(name: string): number | undefined {
  try {
    const out = execFileSync('ip', ['-o', 'link', 'show', 'dev', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /^(\d+):/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The network namespace a process lives in, as /proc/PID/ns/net names it (`net:[INODE]`). */
export function netnsOf(pid: number | 'self'): string {
  return readlinkSync(`/proc/${pid}/ns/net`);
}
