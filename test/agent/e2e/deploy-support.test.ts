import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureDocker } from '../../lab/lab.mjs';
import {
  api,
  buildBundle,
  docker,
  ensureImage,
  eventually,
  IMAGE,
  removeScope,
  scoped,
  skipReason,
  startAgentProcess,
  TOKEN,
  type AgentProcess,
} from './lab.js';
import { foreignPlatformTar, freePort, logCountingProxy, logger, report, SOCKET, text, upload } from './deploy-helpers.js';

// What the deploy side needs from an agent besides running containers, against the machine's dockerd:
// container logs (tail, follow ended by the client), an image upload (and a wrong-platform refusal),
// volumes and others' ports in the report, availability across a restart, and the test-only cgroup_root.
// Only containers, volumes and images named after this run are made, and all are removed at the end.
await ensureDocker().catch(() => undefined); // as the labs do: start the machine's dockerd when it is not running
const skip = skipReason(SOCKET);
const MiB = 1024 * 1024;
const BIG_MIB = 160;
const scope = `deploy-e2e-${process.pid}`;
const tag = scope.replace(/\W/g, '');
const PI5 = fileURLToPath(new URL('../../fixtures/agent/hosts/pi5-v2-nomemory', import.meta.url));

t.test('logs, images, volumes, ports, availability and cgroup_root against a real dockerd', { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  const piScope = `${scope}-pi`;
  const names = {
    up: `muster-e2e-${tag}:up`,
    arm: `muster-e2e-${tag}:foreign`,
    volume: `${tag}_data`,
    stray: `${tag}-stray`,
    big: `muster-e2e-${tag}:big`,
    strayBox: `${tag}_portholder`,
  };
  const cleanup = (): void => {
    removeScope(SOCKET, scope);
    removeScope(SOCKET, piScope);
    for (const args of [
      ['rm', '-f', names.strayBox],
      ['rmi', names.up],
      ['rmi', names.arm],
      ['rmi', names.big],
      ['volume', 'rm', names.volume, names.stray],
    ]) {
      try {
        docker(SOCKET, ...args);
      } catch {
        // not there
      }
    }
  };
  cleanup();
  t.teardown(cleanup);
  const dir = t.testdir({ state: {}, pi: { state: {} } });
  const bundle = await buildBundle(dir);
  // A short path of its own: a unix socket path must fit in 108 bytes.
  const sockDir = mkdtempSync(join(tmpdir(), 'muster-logs-'));
  const socket = join(sockDir, 'docker.sock');
  const proxy = await logCountingProxy(socket);
  t.teardown(async () => {
    await proxy.close();
    rmSync(sockDir, { recursive: true, force: true });
  });
  let agent = await startAgentProcess(bundle, { stateDir: join(dir, 'state'), scope, socket });
  t.teardown(async () => {
    if (agent.child.exitCode === null) await agent.kill();
  });

  try {
    await logs();
    await images();
    await inventory();
    await availability();
    await cgroupRoot();
  } catch (e) {
    t.comment(`agent log:\n${agent.log()}`);
    throw e;
  }

  async function logs(): Promise<void> {
    const spec = logger(tag);
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 1, containers: [spec] })).status, 200);
    await eventually('the logger running', () => scoped(SOCKET, scope).find((c) => c.name === spec.name && c.state === 'running'));
    await eventually('some output', async () => (await text(agent, `/v1/logs/${spec.name}?tail=6`)).body.split('\n').length > 6);

    const tail = await text(agent, `/v1/logs/${spec.name}?tail=3`);
    t.equal(tail.status, 200);
    t.match(tail.type, /^text\/plain/);
    const lines = tail.body.split('\n');
    t.equal(lines.pop(), '', 'ends with a newline');
    t.equal(lines.length, 3, 'tail=3: three lines');
    t.ok(
      lines.every((l) => /^(out|err) \d+$/.test(l)),
      `plain lines, no frame headers: ${JSON.stringify(lines)}`,
    );
    const all = (await text(agent, `/v1/logs/${spec.name}`)).body;
    t.match(all, /^out 0$/m, 'from the start: stdout');
    t.match(all, /^err 0$/m, 'and stderr');
    t.notMatch(all, /[\x00-\x08]/, 'no header bytes anywhere');
    const stamped = (await text(agent, `/v1/logs/${spec.name}?tail=2&timestamps=1`)).body.split('\n');
    t.match(stamped[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (out|err) \d+$/, 'timestamps=1');
    const since = Math.floor(Date.now() / 1000) + 1;
    await new Promise((r) => setTimeout(r, 2200));
    const recent = (await text(agent, `/v1/logs/${spec.name}?since=${since}`)).body;
    t.notMatch(recent, /^out 0$/m, 'since leaves the old lines out');
    t.match(recent, /^out \d+$/m);

    const missing = await api(agent.url, 'GET', `/v1/logs/${tag}_logger.2.0000abcd`);
    t.equal(missing.status, 404);
    t.equal(missing.json.error.message, `this agent manages no container "${tag}_logger.2.0000abcd"; ${tag}_logger has ${spec.name}`);

    // follow: new lines arrive; the client leaving closes the agent's stream to Docker.
    t.equal(proxy.openLogStreams(), 0, 'no log stream open before');
    const seen = await new Promise<string>((resolve, reject) => {
      const req = request(new URL(`/v1/logs/${spec.name}?follow=1&tail=0`, agent.url), { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        let got = '';
        res.on('data', (c: Buffer) => {
          got += c.toString();
          if (got.split('\n').length > 4) {
            t.equal(proxy.openLogStreams(), 1, 'one log stream to Docker while following');
            req.destroy(); // the user pressed Ctrl-C
            resolve(got);
          }
        });
        res.on('end', () => reject(new Error(`the followed stream ended by itself: ${got}`)));
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
    t.match(seen, /^(out|err) \d+\n(out|err) \d+\n/, 'followed lines arrive as they are written');
    await eventually('the log stream to Docker closed', () => proxy.openLogStreams() === 0, 10_000);
    t.pass('the client went away: no log stream to Docker is left open');
  }

  async function images(): Promise<void> {
    // The busybox image under a new tag: saved, the tag removed from the engine, uploaded through the agent.
    docker(SOCKET, 'tag', IMAGE, names.up);
    const tar = join(dir, 'up.tar');
    docker(SOCKET, 'save', '-o', tar, names.up);
    docker(SOCKET, 'rmi', names.up);
    const id = docker(SOCKET, 'image', 'inspect', '-f', '{{.Id}}', IMAGE);
    const loaded = await upload(agent, tar, '?platform=linux/amd64');
    t.equal(loaded.status, 200, JSON.stringify(loaded.json));
    t.same(loaded.json, { loaded: [{ id, tags: [IMAGE, names.up].sort(), os: 'linux', arch: 'amd64' }] }, 'the image with every tag it has now');
    t.equal(docker(SOCKET, 'image', 'inspect', '-f', '{{.Id}}', names.up), id, 'the engine has the new tag');
    const found = await eventually('the image in the report', async () => (await report(agent)).images?.find((i) => i.tags.includes(names.up)));
    t.same(found, { id, tags: found.tags, os: 'linux', arch: 'amd64' });
    t.ok(found.tags.includes(IMAGE), 'with every tag of that id');

    // A tar whose config says arm64: loaded, found wrong, removed again.
    const foreign = foreignPlatformTar(dir, IMAGE, 'arm64', names.arm);
    const refused = await upload(agent, foreign);
    t.equal(refused.status, 400);
    t.same(refused.json.error, { code: 'E_PLATFORM', message: `wrong platform: ${names.arm} is linux/arm64, and this node is linux/amd64 (removed again)` });
    t.throws(() => docker(SOCKET, 'image', 'inspect', names.arm), 'the engine does not keep it');
    t.equal(docker(SOCKET, 'image', 'inspect', '-f', '{{.Id}}', IMAGE), id, 'the image it was made from is untouched');

    const notATar = await fetch(new URL('/v1/images', agent.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-tar' },
      body: 'this is not a tar',
    });
    t.equal(notATar.status, 400, 'a body that is not a tar');
    t.equal(((await notATar.json()) as { error: { code: string } }).error.code, 'E_IMAGE');
    const noToken = await fetch(new URL('/v1/images', agent.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-tar' },
      body: readFileSync(tar),
    });
    t.equal(noToken.status, 401, 'authenticated like every route');

    // A 160 MiB image goes through the agent without the agent holding it: its peak resident memory
    // (VmHWM) grows by far less than the tar.
    const big = join(dir, 'big');
    mkdirSync(big);
    execFileSync('head', ['-c', String(BIG_MIB * MiB), '/dev/urandom'], { stdio: ['ignore', openSync(join(big, 'blob'), 'w'), 'ignore'] });
    execFileSync('sh', ['-c', `tar -C "${big}" -c blob | docker -H unix://${SOCKET} import - ${names.big} >/dev/null`]);
    const bigTar = join(dir, 'big.tar');
    docker(SOCKET, 'save', '-o', bigTar, names.big);
    docker(SOCKET, 'rmi', names.big);
    rmSync(big, { recursive: true });
    const peak = (): number => Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${agent.child.pid}/status`, 'utf8'))![1]) * 1024;
    const before = peak();
    const started = Date.now();
    const bigLoad = await upload(agent, bigTar);
    const seconds = (Date.now() - started) / 1000;
    rmSync(bigTar);
    t.equal(bigLoad.status, 200, JSON.stringify(bigLoad.json));
    const grew = peak() - before;
    t.comment(`${BIG_MIB} MiB tar loaded through the agent in ${seconds.toFixed(1)} s; its peak RSS grew by ${(grew / MiB).toFixed(1)} MiB`);
    t.ok(grew < 48 * MiB, `the agent did not hold the tar (peak RSS +${(grew / MiB).toFixed(1)} MiB for ${BIG_MIB} MiB)`);
  }

  async function inventory(): Promise<void> {
    docker(SOCKET, 'volume', 'create', '--label', `io.muster.stack=${tag}`, names.volume);
    docker(SOCKET, 'volume', 'create', names.stray);
    const port = await freePort();
    docker(SOCKET, 'run', '-d', '--name', names.strayBox, '-p', `127.0.0.1:${port}:80`, IMAGE, 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done');
    const r = await eventually('the volumes and the port in the report', async () => {
      const rep = await report(agent);
      return rep.volumes?.some((v) => v.name === names.stray) && rep.portsInUse?.some((p) => p.port === port) ? rep : undefined;
    });
    t.same(
      r.volumes?.filter((v) => v.name.startsWith(tag)),
      [
        { name: names.stray, stack: null },
        { name: names.volume, stack: tag },
      ],
      'every volume, with its stack when muster made it',
    );
    t.same(
      r.portsInUse?.filter((p) => p.port === port),
      [{ port, protocol: 'tcp' }],
      'a port another container holds',
    );
  }

  async function availability(): Promise<void> {
    const paused = await api(agent.url, 'POST', '/v1/availability', { availability: 'pause' });
    t.same([paused.status, paused.json], [200, { availability: 'pause', available: false }]);
    t.match((await report(agent)).node, { availability: 'pause', available: false });
    t.match((await text(agent, '/metrics')).body, /^muster_node_availability\{availability="pause"\} 1$/m);
    t.equal(await agent.stop(), 0);
    agent = await startAgentProcess(bundle, { stateDir: join(dir, 'state'), scope, socket });
    t.match((await report(agent)).node, { availability: 'pause', available: false }, 'kept across a restart');
    t.same((await api(agent.url, 'POST', '/v1/drain', { available: false })).json, { available: false });
    t.match((await report(agent)).node, { availability: 'drain' }, 'the old flag drains');
    t.same((await api(agent.url, 'POST', '/v1/drain', { available: true })).json, { available: true });
    t.match((await report(agent)).node, { availability: 'active', available: true });
  }

  async function cgroupRoot(): Promise<void> {
    // The same machine, seen by a second agent through a recorded Pi 5 tree without the memory controller.
    const spec = logger(`${tag}pi`, 32 * MiB);
    process.env.MUSTER_AGENT_CGROUP_ROOT = PI5;
    let pi: AgentProcess;
    try {
      pi = await startAgentProcess(bundle, { stateDir: join(dir, 'pi', 'state'), scope: piScope, socket: SOCKET });
    } finally {
      delete process.env.MUSTER_AGENT_CGROUP_ROOT;
    }
    t.teardown(async () => {
      if (pi.child.exitCode === null) await pi.kill();
    });
    t.match(pi.log(), /warn: cgroup_root is set \(.*pi5-v2-nomemory\).*for tests only/, 'it warns at start');
    t.equal((await api(pi.url, 'PUT', '/v1/desired', { generation: 1, containers: [spec] })).status, 200);
    const r = await eventually('the container reported running', async () => {
      const rep = await report(pi);
      return rep.containers.find((c) => c.name === spec.name && c.state === 'running' && c.enforced.source !== 'not-running') ? rep : undefined;
    });
    t.match(r.cgroups.memory, { enabled: false, enforced: false, reason: /cgroup_enable=memory/ });
    t.match(r.docker, { memoryLimit: false, warnings: ['WARNING: No memory limit support', 'WARNING: No swap limit support'] });
    t.match(
      r.containers.find((c) => c.name === spec.name),
      {
        asked: { memoryLimit: 32 * MiB },
        enforced: { memoryLimit: null, source: 'no-memory-cgroup' },
        limitMismatch: true,
      },
    );
    const real = await report(agent);
    t.match(
      { cgroups: real.cgroups.memory, docker: real.docker.memoryLimit },
      { cgroups: { enforced: true }, docker: true },
      'the agent without it sees the machine',
    );
    t.equal(await pi.stop(), 0);
  }
});
