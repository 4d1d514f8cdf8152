import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec, NodeReport } from '../../../shared/wire.js';
import { ensureDocker } from '../../lab/lab.mjs';
import {
  SLEEPER,
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
  type AgentProcess,
} from './lab.js';

// The extended spec end to end against the machine's dockerd: volumes, binds, devices, capabilities,
// privileged, a stack network with aliases, extra hosts, user and working dir, a secret; then the network
// goes once nothing uses it. Only this run's scope, networks and volume are touched.
const SOCKET = '/var/run/docker.sock';
const scope = `e2e-feat-${process.pid}`;
const tag = `feat${process.pid}`;
const NET = `${tag}_net`;
const BACK = `${tag}_back`;
const VOLUME = `${tag}_data`;
const SECRET = Buffer.from(`pa55-${process.pid}-hunter2\n`);
const digest = createHash('sha256').update(SECRET).digest('hex');
const SECRET_NAME = `${tag}_db.${digest.slice(0, 12)}`;
// NET_BIND_SERVICE is capability 10: CapEff 0x400 and nothing else.
const NET_BIND_SERVICE_ONLY = '0000000000000400';

const skip = await (async (): Promise<string | undefined> => {
  if (process.getuid?.() !== 0) return 'needs root (the machine dockerd, chown of secret copies)';
  try {
    await ensureDocker();
  } catch (e) {
    return String(e);
  }
  return skipReason(SOCKET);
})();

// A privileged container gets every capability; runc refuses it where this machine's bounding set lacks some
// (seen here: a VM without CAP_SYS_RESOURCE). Then the test checks that Docker was asked, and that runc's
// refusal reaches the report.
const capBnd = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`);
const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
const canPrivileged = capBnd === (1n << BigInt(lastCap + 1)) - 1n;

const exec = (name: string, ...cmd: string[]): string => docker(SOCKET, 'exec', name, ...cmd);
const inspect = (kind: 'network' | 'volume' | 'container', name: string): any => JSON.parse(docker(SOCKET, kind, 'inspect', name))[0];
const myNetworks = (): string[] => docker(SOCKET, 'network', 'ls', '-q', '--filter', `label=io.muster.managed=${scope}`).split('\n').filter(Boolean);

function cleanup(): void {
  removeScope(SOCKET, scope);
  for (const id of myNetworks()) docker(SOCKET, 'network', 'rm', id);
  try {
    docker(SOCKET, 'volume', 'rm', '-f', VOLUME);
  } catch {
    // not there
  }
}

t.test('the extended spec on a real dockerd', { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  cleanup();
  t.teardown(cleanup);
  const dir = t.testdir({ state: {}, www: { 'hello.txt': 'hello through a bind mount\n' } });
  const bundle = await buildBundle(dir);
  const agent: AgentProcess = await startAgentProcess(bundle, { stateDir: join(dir, 'state'), scope, socket: SOCKET });
  t.teardown(async () => {
    if (agent.child.exitCode === null) await agent.kill();
  });

  const app: ContainerSpec = {
    name: `${tag}_app.1`,
    stack: tag,
    service: 'app',
    replica: 1,
    image: IMAGE,
    // httpd in the background, sh as PID 1 so that SIGTERM ends it at once.
    command: ['sh', '-c', 'trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait'],
    mounts: [
      { type: 'volume', source: VOLUME, target: '/data' },
      { type: 'bind', source: join(dir, 'www'), target: '/www', readOnly: true },
      { type: 'tmpfs', target: '/scratch' },
    ],
    devices: [{ host: '/dev/null', container: '/dev/muster-null' }],
    capDrop: ['ALL'],
    capAdd: ['NET_BIND_SERVICE'],
    networks: [{ name: NET, aliases: ['app'] }],
    extraHosts: ['db.example:10.1.2.3'],
    files: [{ kind: 'secret', name: SECRET_NAME, digest, target: '/run/secrets/db' }],
  };
  const peer: ContainerSpec = {
    name: `${tag}_peer.1`,
    stack: tag,
    service: 'peer',
    replica: 1,
    image: IMAGE,
    command: SLEEPER,
    user: '1000:1000',
    workingDir: '/tmp',
    networks: [{ name: NET, aliases: ['peer'] }, { name: BACK }],
    files: [{ kind: 'secret', name: SECRET_NAME, digest, target: '/run/secrets/db', mode: 0o400, uid: 1000, gid: 1000 }],
  };
  const priv: ContainerSpec = {
    name: `${tag}_priv.1`,
    stack: tag,
    service: 'priv',
    replica: 1,
    image: IMAGE,
    command: SLEEPER,
    privileged: true,
    networkMode: 'none',
  };
  const all = canPrivileged ? [app, peer, priv] : [app, peer];

  try {
    await scenario();
  } catch (e) {
    t.comment(`agent log:\n${agent.log()}\ncontainers: ${JSON.stringify(scoped(SOCKET, scope))}`);
    throw e;
  }

  async function scenario(): Promise<void> {
    // 1. The secret first, as the controller does; then the desired set.
    // Networks muster did not make (none, or another agent's scope): they must survive every prune.
    const foreign = [`${tag}_foreign`, `${tag}_other_scope`];
    docker(SOCKET, 'network', 'create', foreign[0]);
    docker(SOCKET, 'network', 'create', '--label', 'io.muster.managed=another-agent', '--label', `io.muster.stack=${tag}`, foreign[1]);
    t.teardown(() => void docker(SOCKET, 'network', 'rm', ...foreign));
    const put = await api(agent.url, 'PUT', `/v1/files/${SECRET_NAME}`, { kind: 'secret', data: SECRET.toString('base64') });
    t.equal(put.status, 201, 'secret delivered');
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 1, containers: all })).status, 200);
    await eventually(
      'all running',
      () => {
        const seen = scoped(SOCKET, scope);
        return seen.length === all.length && seen.every((c) => c.state === 'running');
      },
      120_000,
    );

    // 2. The named volume and the networks were made with muster's labels.
    t.match(inspect('volume', VOLUME).Labels, { 'io.muster.managed': scope, 'io.muster.stack': tag }, 'the named volume is labelled');
    for (const n of [NET, BACK]) {
      const net = inspect('network', n);
      t.equal(net.Driver, 'bridge', `${n}: a bridge`);
      t.match(net.Labels, { 'io.muster.managed': scope, 'io.muster.stack': tag }, `${n}: labelled`);
    }
    t.same(Object.keys(inspect('container', peer.name).NetworkSettings.Networks).sort(), [BACK, NET].sort(), 'the peer joined both networks');

    // 3. What each container sees.
    t.equal(exec(app.name, 'grep', 'CapEff', '/proc/1/status').split(/\s+/)[1], NET_BIND_SERVICE_ONLY, 'cap_drop ALL + cap_add NET_BIND_SERVICE');
    t.equal(exec(app.name, 'sh', '-c', 'test -c /dev/muster-null && echo x > /dev/muster-null && echo ok'), 'ok', 'the device is there and writable');
    exec(app.name, 'sh', '-c', 'echo kept > /data/kept');
    t.equal(exec(app.name, 'cat', '/www/hello.txt'), 'hello through a bind mount', 'the bind mount');
    t.match(exec(app.name, 'sh', '-c', 'echo x > /www/nope 2>&1 || echo refused'), /refused|Read-only/, 'read-only bind');
    t.match(exec(app.name, 'grep', 'scratch', '/proc/mounts'), /^tmpfs \/scratch tmpfs/, 'the tmpfs');
    t.match(exec(app.name, 'cat', '/etc/hosts'), /^10\.1\.2\.3\s+db\.example$/m, 'extra_hosts in /etc/hosts');
    t.equal(exec(app.name, 'stat', '-c', '%a %u %g', '/run/secrets/db'), '400 0 0', 'the secret: 0400 root by default');
    t.equal(`${exec(app.name, 'cat', '/run/secrets/db')}\n`, SECRET.toString(), "the secret's content");
    t.match(exec(app.name, 'sh', '-c', 'echo x > /run/secrets/db 2>&1 || echo refused'), /refused|Read-only|denied/, 'the secret is read-only');

    t.equal(exec(peer.name, 'id', '-u'), '1000', 'user');
    t.equal(exec(peer.name, 'pwd'), '/tmp', 'working_dir');
    t.equal(exec(peer.name, 'stat', '-c', '%a %u %g', '/run/secrets/db'), '400 1000 1000', 'the mode and owner asked');
    t.equal(`${exec(peer.name, 'cat', '/run/secrets/db')}\n`, SECRET.toString(), 'user 1000 reads its copy');
    const page = await eventually('the peer reaches the app by its alias', () => exec(peer.name, 'wget', '-q', '-O-', 'http://app:8080/hello.txt'), 30_000);
    t.equal(page, 'hello through a bind mount', 'alias resolution on the stack network');
    t.match(exec(app.name, 'nslookup', 'peer'), /Address.*\d+\.\d+\.\d+\.\d+/, 'and back');

    if (canPrivileged) {
      t.equal(inspect('container', priv.name).HostConfig.Privileged, true);
      const capEff = BigInt(`0x${exec(priv.name, 'grep', 'CapEff', '/proc/1/status').split(/\s+/)[1]}`);
      t.equal(capEff, capBnd, 'privileged: every capability in CapEff');
      t.equal(inspect('container', priv.name).HostConfig.NetworkMode, 'none', 'network_mode none');
    }
    t.equal(inspect('container', app.name).HostConfig.RestartPolicy.Name, 'no', "Docker's restart policy stays no");

    // 4. The secret's content is in no answer.
    const needle = SECRET.toString().trim();
    const b64 = SECRET.toString('base64');
    const report = await eventually('a converged report', async () => {
      const r = (await api(agent.url, 'GET', '/v1/report')).json as NodeReport;
      return r.reconcile.converged && r.containers.length === all.length ? r : undefined;
    });
    const answers = [
      JSON.stringify(report),
      JSON.stringify((await api(agent.url, 'GET', '/v1/desired')).json),
      JSON.stringify((await api(agent.url, 'GET', '/v1/files')).json),
      agent.log(),
    ];
    for (const [i, a] of answers.entries()) {
      t.notOk(a.includes(needle), `answer ${i}: no secret content`);
      t.notOk(a.includes(b64), `answer ${i}: no base64 of it`);
    }
    t.same((await api(agent.url, 'GET', '/v1/files')).json, { files: [{ name: SECRET_NAME, kind: 'secret', digest, size: SECRET.length }] });

    // 5. A secret that was never delivered: a clear last error, nothing created.
    const missingDigest = createHash('sha256').update('never sent').digest('hex');
    const orphan: ContainerSpec = {
      ...peer,
      name: `${tag}_orphan.1`,
      service: 'orphan',
      files: [{ kind: 'secret', name: `${tag}_gone.${missingDigest.slice(0, 12)}`, digest: missingDigest, target: '/run/secrets/gone' }],
    };
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 2, containers: [...all, orphan] })).status, 200);
    const failed = await eventually('the missing secret reported', async () => {
      const r = (await api(agent.url, 'GET', '/v1/report')).json as NodeReport;
      return r.reconcile.lastError?.includes('not delivered') ? r.reconcile.lastError : undefined;
    });
    t.match(failed, new RegExp(`create ${tag}_orphan\\.1: .*secret ${tag}_gone\\.${missingDigest.slice(0, 12)} not delivered: deploy again`));
    t.notOk(
      scoped(SOCKET, scope).some((c) => c.name === orphan.name),
      'no container made without its secret',
    );
    // The controller delivers it (deploy again): the held create goes at once, not after its backoff.
    await eventually('a few failed creates', async () => (agent.log().match(/create \S+_orphan\.1 failed/g) ?? []).length >= 5, 60_000);
    const late = Date.now();
    const sent = await api(agent.url, 'PUT', `/v1/files/${tag}_gone.${missingDigest.slice(0, 12)}`, {
      kind: 'secret',
      data: Buffer.from('never sent').toString('base64'),
    });
    t.equal(sent.status, 201);
    const started = await eventually('the orphan running', () => scoped(SOCKET, scope).find((c) => c.name === orphan.name && c.state === 'running'), 30_000);
    const createdAfter = Date.parse(inspect('container', started.id).Created) - late;
    t.ok(createdAfter < 8_000, `created ${createdAfter} ms after the delivery (held 16 s after its 5th failure)`);
    if (!canPrivileged) {
      t.comment(`this machine's capability bounding set is ${capBnd.toString(16)}, not all ${lastCap + 1}: runc cannot start a privileged container here`);
      t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 4, containers: [...all, orphan, priv] })).status, 200);
      const made = await eventually('the privileged container made', () => scoped(SOCKET, scope).find((c) => c.name === priv.name));
      const hc = inspect('container', made.id).HostConfig;
      t.equal(hc.Privileged, true, 'privileged: Docker was asked');
      t.equal(hc.NetworkMode, 'none', 'network_mode none');
      const refused = await eventually('runc refusal in the report', async () => {
        const e = ((await api(agent.url, 'GET', '/v1/report')).json as NodeReport).reconcile.lastError;
        return e?.includes(priv.name) && e.includes('caps') ? e : undefined;
      });
      t.match(refused, /unable to apply caps/, "runc's reason reaches the report");
    }

    // 6. Everything goes: the containers, then the networks nobody uses; the volume stays (data).
    t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: 5, containers: [] })).status, 200);
    await eventually('no containers', () => scoped(SOCKET, scope).length === 0, 60_000);
    await eventually('the stack networks removed', () => myNetworks().length === 0, 30_000);
    t.pass('the networks muster made went once nothing used them');
    for (const n of foreign) t.equal(inspect('network', n).Name, n, `${n}: not this agent's, kept`);
    t.equal(inspect('volume', VOLUME).Name, VOLUME, 'the named volume stays');
    await eventually('the file copies removed', () => readdirSync(join(dir, 'state', 'mounts')).length === 0, 10_000);
    t.ok(existsSync(join(dir, 'state', 'files', 'secret', SECRET_NAME)), 'the delivered secret stays for the grace period');
    const said = await eventually('the agent says what it removed', () => /removed, as no desired container uses it: .*/.exec(agent.log())?.[0], 10_000);
    t.match(said, new RegExp(`network ${NET}\\b`), 'the agent says what it removed');
    t.match(said, new RegExp(`network ${BACK}\\b`));
  }
});
