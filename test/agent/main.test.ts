import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentCommand, readToken, startAgent } from '../../agent/main.js';
import { DEFAULTS, type AgentSettings } from '../../agent/config/settings.js';
import { hostFiles } from '../../agent/report/collect.js';
import { createLog } from '../../agent/log.js';
import { FakeDocker } from './docker/fake-docker.js';

const TOKEN = 'main-test-token-0123456789';
const pi4 = fileURLToPath(new URL('../fixtures/agent/hosts/pi4-bookworm-v2', import.meta.url));

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for 127.0.0.1, made with openssl. */
function makeCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function settingsIn(dir: string, more: Partial<AgentSettings> = {}): AgentSettings {
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  return { ...DEFAULTS, listen: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), tokenFile, reportIntervalS: 1, insecureHttp: true, ...more };
}

interface Answer {
  status: number;
  body: string;
}

/** One request over real TCP (HTTPS when `ca` is given: the certificate is verified against it). */
function call(url: string, method: string, path: string, opts: { token?: string; body?: unknown; ca?: string } = {}): Promise<Answer> {
  const u = new URL(path, url);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload) headers['content-type'] = 'application/json';
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method, headers, ca: opts.ca });
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const quiet = createLog(() => {});
const set = (generation: number) => ({
  generation,
  containers: [
    { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'muster-busybox:1', memoryLimit: 32 << 20 },
    { name: 'web_api.2', stack: 'web', service: 'api', replica: 2, image: 'muster-busybox:1', memoryLimit: 32 << 20 },
  ],
});

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test('HTTPS with a self-signed certificate and the token, on 127.0.0.1', { skip: haveOpenssl() ? false : 'openssl is not installed' }, async (t) => {
  const dir = t.testdir();
  const { cert, key } = makeCert(dir);
  const docker = new FakeDocker('default');
  const agent = await startAgent(settingsIn(dir, { insecureHttp: false, tlsCert: cert, tlsKey: key }), {
    docker,
    files: hostFiles(pi4),
    log: quiet,
    identity: { hostname: 'pi4-a', kernel: '6.6', machine: 'aarch64' },
  });
  t.teardown(() => agent.stop());
  t.match(agent.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const ca = (await import('node:fs')).readFileSync(cert, 'utf8');
  const health = await call(agent.url, 'GET', '/v1/health', { ca });
  t.same([health.status, JSON.parse(health.body)], [200, { status: 'ok' }]);
  t.equal((await call(agent.url, 'GET', '/v1/report', { ca })).status, 401, 'no token: 401');
  const report = await call(agent.url, 'GET', '/v1/report', { ca, token: TOKEN });
  t.equal(report.status, 200);
  t.match(JSON.parse(report.body), { node: { hostname: 'pi4-a', piModel: 'Raspberry Pi 4 Model B Rev 1.4' }, cgroups: { version: 'v2' } });
  const put = await call(agent.url, 'PUT', '/v1/desired', { ca, token: TOKEN, body: set(1) });
  t.same([put.status, JSON.parse(put.body)], [200, { generation: 1, outcome: 'accepted' }]);
  await waitFor(() => docker.mine().filter((c) => c.state === 'running').length === 2);
  t.pass('the PUT woke the reconciler and it converged');
  await t.rejects(call(agent.url, 'GET', '/v1/health'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'an unknown certificate is refused by the client');
  const metrics = await call(agent.url, 'GET', '/metrics', { ca, token: TOKEN });
  t.match(metrics.body, /^muster_desired_generation 1$/m);
});

t.test('restart: the desired set is reloaded and nothing is duplicated', async (t) => {
  const dir = t.testdir();
  const docker = new FakeDocker('default');
  const parts = { docker, files: hostFiles(pi4), log: quiet };
  const first = await startAgent(settingsIn(dir), parts);
  t.equal((await call(first.url, 'PUT', '/v1/desired', { token: TOKEN, body: set(5) })).status, 200);
  await waitFor(() => first.reconciler.status().converged);
  await first.stop();
  const ids = docker.mine().map((c) => c.id);
  docker.kill(ids[0]); // it died while the agent was away

  const second = await startAgent(settingsIn(dir), parts);
  t.teardown(() => second.stop());
  const got = await call(second.url, 'GET', '/v1/desired', { token: TOKEN });
  t.equal(JSON.parse(got.body).generation, 5, 'reloaded from the state directory');
  await waitFor(() => second.reconciler.status().converged);
  t.same(
    docker.mine().map((c) => c.id),
    ids,
    'same containers, none added',
  );
  t.equal(docker.mine()[0].state, 'running', 'the dead one restarted');
  const stale = await call(second.url, 'PUT', '/v1/desired', { token: TOKEN, body: set(4) });
  t.equal(stale.status, 409, 'generations survive the restart');
});

t.test('a corrupt saved set: kept aside, reported, nothing touched until a new PUT', async (t) => {
  const dir = t.testdir({ state: { 'desired.json': '{"format":1,"desired":{"generation":' } });
  const docker = new FakeDocker('default');
  docker.addForeign('old', 'default'); // a managed container from before: must not be removed blindly
  const lines: string[] = [];
  const agent = await startAgent(settingsIn(dir), { docker, files: hostFiles(pi4), log: createLog((s) => lines.push(s)) });
  t.teardown(() => agent.stop());
  t.match(lines.join(''), /error: .*desired\.json is unreadable .*moved to .*corrupt-/);
  t.ok(
    readdirSync(join(dir, 'state')).some((f) => f.startsWith('desired.json.corrupt-')),
    'kept aside',
  );
  const report = JSON.parse((await call(agent.url, 'GET', '/v1/report', { token: TOKEN })).body);
  t.match(report.reconcile, { generation: null, converged: false, waitingFor: /unreadable/ });
  t.equal(docker.containers.length, 1, 'nothing removed');
  t.equal((await call(agent.url, 'PUT', '/v1/desired', { token: TOKEN, body: set(1) })).status, 200);
  await waitFor(() => agent.reconciler.status().converged);
  t.same(
    docker
      .mine()
      .map((c) => c.dockerName)
      .sort(),
    ['web_api.1', 'web_api.2'],
    'converged after the PUT',
  );
});

t.test('start-up errors are MusterErrors that say what to do', async (t) => {
  const dir = t.testdir({ short: 'abc\n', spaced: 'abcdefgh ijklmnopqrstu\n', min: '0123456789abcdef\n', under: '0123456789abcde\n' });
  t.equal(readToken(join(dir, 'min')), '0123456789abcdef', 'exactly 16 characters (and the newline) is enough');
  t.throws(() => readToken(join(dir, 'under')), { code: 'E_FILE', message: /16 characters/ }, '15 is not');
  t.throws(() => readToken(join(dir, 'short')), { code: 'E_FILE', message: /16 characters/, hint: /openssl rand -hex 32/ });
  t.throws(() => readToken(join(dir, 'spaced')), { code: 'E_FILE' });
  t.throws(() => readToken(join(dir, 'missing')), { code: 'E_FILE', message: /no such file/ });
  await t.rejects(startAgent(settingsIn(dir, { insecureHttp: false, tlsCert: join(dir, 'none.crt') }), { docker: new FakeDocker('x'), log: quiet }), {
    code: 'E_FILE',
    message: /none\.crt/,
  });
  const blocker = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  await t.rejects(startAgent(settingsIn(dir, { port }), { docker: new FakeDocker('x'), log: quiet }), {
    code: 'E_OPTION',
    message: /EADDRINUSE/,
    hint: /another process/,
  });
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  await t.rejects(startAgent(settingsIn(dir, { stateDir: join(file, 'sub') }), { docker: new FakeDocker('x'), log: quiet }), {
    code: 'E_FILE',
    message: /state directory/,
  });
});

t.test('agentCommand: help, version, bad options and exit codes', async (t) => {
  const run = async (argv: string[], env: Record<string, string> = {}) => {
    let out = '';
    let err = '';
    const code = await agentCommand(
      argv,
      (s) => (out += s),
      (s) => (err += s),
      env,
    );
    return { code, out, err };
  };
  t.match(await run(['--help']), { code: 0, out: /^usage: muster agent/ });
  t.match(await run(['--version']), { code: 0, out: 'muster agent 0.1.0\n' });
  t.match(await run(['--bogus']), { code: 5, err: /ERROR! Unknown option '--bogus'[\s\S]*hint: usage/ });
  t.match(await run(['--port', 'x']), { code: 5, err: /--port wants a port/ });
  const dir = t.testdir();
  t.match(await run(['--token-file', join(dir, 'nope'), '--insecure-http', '--listen', '127.0.0.1']), {
    code: 1,
    err: /ERROR! cannot read .*nope: no such file/,
  });
});

t.test('hardware facts reach the report from the background cache', async (t) => {
  const dir = t.testdir({});
  const port = {
    read: async () => ({
      manufacturer: 'Raspberry Pi',
      systemModel: 'Raspberry Pi 4 Model B',
      virtual: false,
      cpu: null,
      temperatures: { mainC: 48.2, maxC: 48.2, coresC: [], chipsetC: null },
    }),
  };
  const agent = await startAgent(settingsIn(dir), { docker: new FakeDocker('default'), files: hostFiles(pi4), log: quiet, hardware: port });
  t.teardown(() => agent.stop());
  await waitFor(async () => JSON.parse((await call(agent.url, 'GET', '/v1/report', { token: TOKEN })).body).hardware?.collectedAt !== null);
  const report = JSON.parse((await call(agent.url, 'GET', '/v1/report', { token: TOKEN })).body);
  t.match(report.hardware, { systemModel: 'Raspberry Pi 4 Model B', temperatures: { mainC: 48.2 } });
});
