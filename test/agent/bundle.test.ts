import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleAgent } from '../../agent/bundle.js';

// The single-file bundle runs with a plain `node`, from a directory with no node_modules anywhere above it.
t.test('the agent bundle runs without node_modules', async (t) => {
  const build = t.testdir();
  const bytes = await bundleAgent(join(build, 'muster-agent.mjs'));
  t.ok(bytes > 100_000 && bytes < 5_000_000, `a few MB at most (${Math.round(bytes / 1024)} KiB)`);
  const dir = '/tmp/muster-agent-bundle-test'; // /tmp: no project node_modules up the tree
  execFileSync('rm', ['-rf', dir]);
  execFileSync('mkdir', ['-p', dir]);
  t.teardown(() => execFileSync('rm', ['-rf', dir]));
  copyFileSync(join(build, 'muster-agent.mjs'), join(dir, 'muster-agent.mjs'));
  const version = execFileSync('node', ['muster-agent.mjs', '--version'], { cwd: dir, encoding: 'utf8' });
  t.equal(version, 'muster agent 0.1.0\n');

  // Start it for real on a free port with plain HTTP on loopback; SIGTERM stops it with exit code 0.
  writeFileSync(join(dir, 'token'), 'bundle-test-token-0123456789\n');
  const child = spawn(
    'node',
    [
      'muster-agent.mjs',
      '--insecure-http',
      '--listen',
      '127.0.0.1',
      '--port',
      '0',
      '--token-file',
      'token',
      '--state-dir',
      'state',
      '--docker-socket',
      join(dir, 'no-docker.sock'),
    ],
    { cwd: dir },
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const listening = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 10_000);
    child.stderr.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const health = await fetch(`${listening}/v1/health`);
  t.same(await health.json(), { status: 'ok' });
  const report = await fetch(`${listening}/v1/report`, { headers: { authorization: 'Bearer bundle-test-token-0123456789' } });
  const body = (await report.json()) as { docker: { reachable: boolean; error: string }; node: { hostname: string } };
  t.equal(body.docker.reachable, false, 'no Docker at that socket: reported, not fatal');
  t.match(body.docker.error, /does not answer/);
  t.type(body.node.hostname, 'string');
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.equal(await exit, 0, 'SIGTERM: clean exit');
  t.match(err, /SIGTERM: stopping/);
});

// dockerode loads ssh2 (ssh:// engines) and BuildKit's gRPC session at start; the agent uses neither, and
// together they held about 20 MB of the agent's memory, so the bundle carries stubs in their place.
t.test('the bundle leaves out ssh2 and the gRPC session, keeping dockerode', async (t) => {
  const out = join(t.testdir(), 'muster-agent.mjs');
  await bundleAgent(out);
  const text = readFileSync(out, 'utf8');
  t.notMatch(text, /grpc/i, 'no @grpc/grpc-js nor protobufjs');
  t.notMatch(text, /chacha20-poly1305@openssh\.com/, 'no ssh2 protocol code');
  t.match(text, /ssh:\/\/ engines are not bundled/, 'the ssh2 stub fails loudly');
  t.match(text, /BuildKit sessions are not bundled/, 'the session stub fails loudly');
  t.match(text, /containers\/json/, 'dockerode is still there');
});
