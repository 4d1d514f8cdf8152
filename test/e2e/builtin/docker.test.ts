/**
 * The builtin docker playbook on a lab host able to run Docker: docker.io installed and answering, daemon.json
 * in place, a listed user runs docker without sudo, a second run changes nothing, a changed daemon option
 * restarts dockerd exactly once. Docker's own repository cannot be reached here, so the upstream path is run
 * with --tags docker_repo: the key and the deb822 source are asserted and the install is skipped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, ssh, startLab } from '../../lab/lab.mjs';
import { muster, recap } from '../support.js';

const lab = await startLab({ name: 'e2e-builtin-docker', count: 1, docker: true });
t.teardown(() => lab.stop());

const tmp = mkdtempSync(join(tmpdir(), 'muster-docker-'));
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const play = (extra: Record<string, unknown> = {}, more: string[] = []) =>
  muster(['play', '-i', lab.inventoryPath, 'docker', '-e', JSON.stringify({ docker_users: ['muster'], ...extra }), ...more], { env });
/** Lines in the file the test's ExecStartPost drop-in appends to at each dockerd start. */
const starts = async () => (await exec(lab, 'h01', 'cat /var/log/docker-starts 2>/dev/null')).stdout.split('\n').filter(Boolean).length;

t.test('--check on the fresh host reports the install and changes nothing', async (t) => {
  const r = await play({}, ['--check']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.ok(recap(r.stdout).h01.changed >= 2, 'packages and /etc/docker would change');
  t.equal((await exec(lab, 'h01', 'ls -d /usr/sbin/dockerd /etc/docker 2>/dev/null')).stdout, '', 'nothing installed');
});

t.test('first run installs docker.io, configures dockerd and lets the listed user run docker', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.ok(recap(r.stdout).h01.changed >= 3, 'packages, daemon.json and the group changed');
  t.match(r.stdout, /RUNNING HANDLER \[docker : Restart docker\]/, 'the new daemon.json restarted dockerd');
  t.equal((await exec(lab, 'h01', 'systemctl is-active docker')).stdout.trim(), 'active');
  const daemon = JSON.parse((await exec(lab, 'h01', 'cat /etc/docker/daemon.json')).stdout);
  t.same(daemon, { 'log-driver': 'json-file', 'log-opts': { 'max-size': '10m', 'max-file': '3' }, 'live-restore': true });
  const info = await exec(lab, 'h01', "docker info --format '{{.LoggingDriver}} {{.LiveRestoreEnabled}} {{.MemoryLimit}}'");
  t.match(info.stdout, /^json-file true (true|false)\n$/, 'dockerd runs with the configuration');
  const asUser = await ssh(lab, 'h01', 'id -nG; docker info --format "{{.ServerVersion}}"');
  t.equal(asUser.exitCode, 0, `muster runs docker info without sudo: ${asUser.stderr}`);
  t.match(asUser.stdout, /\bdocker\b/, 'muster is in the docker group');
  // The fact follows the engine's own word, and only a false one prints the warning naming the pi role.
  const enforced = info.stdout.trim().endsWith('true');
  t.match(r.stdout, `memory limits enforced: ${enforced}`);
  if (enforced) t.notMatch(r.stdout, /No memory limit support/);
  else t.match(r.stdout, /No memory limit support.*pi/s);
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 0, 'changed=0');
  t.notMatch(r.stdout, /RUNNING HANDLER/);
});

t.test('a changed daemon option restarts dockerd exactly once', async (t) => {
  // Count starts from here on with a drop-in (daemon-reload alone does not restart dockerd).
  await exec(
    lab,
    'h01',
    [
      'mkdir -p /etc/systemd/system/docker.service.d',
      'printf \'[Service]\\nExecStartPost=/bin/sh -c "date +%%s.%%N >> /var/log/docker-starts"\\n\' > /etc/systemd/system/docker.service.d/count.conf',
      'systemctl daemon-reload',
    ].join(' && '),
  );
  t.equal(await starts(), 0, 'no start counted yet');
  const options = { docker_daemon_options: { 'max-concurrent-downloads': 5, 'log-opts': { 'max-file': '5' } } };
  const r = await play(options);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 2, 'daemon.json and its handler');
  t.equal(await starts(), 1, 'dockerd started exactly once');
  const daemon = JSON.parse((await exec(lab, 'h01', 'cat /etc/docker/daemon.json')).stdout);
  t.same(daemon['log-opts'], { 'max-size': '10m', 'max-file': '5' }, 'merged recursively over the defaults');
  t.equal(daemon['max-concurrent-downloads'], 5);
  const again = await play(options);
  t.equal(recap(again.stdout).h01.changed, 0, 'the same options again change nothing');
  t.equal(await starts(), 1, 'and restart nothing');
  // Another log driver comes without json-file's rotation options, which dockerd would refuse for it.
  const journald = await play({ docker_daemon_options: { 'log-driver': 'journald' } });
  t.equal(journald.code, 0, journald.stdout + journald.stderr);
  t.same(JSON.parse((await exec(lab, 'h01', 'cat /etc/docker/daemon.json')).stdout), { 'live-restore': true, 'log-driver': 'journald' });
  t.equal((await exec(lab, 'h01', "docker info --format '{{.LoggingDriver}}'")).stdout.trim(), 'journald', 'dockerd runs with it');
  t.equal(await starts(), 2, 'one more start');
});

t.test('upstream: a deb822 source signed by the key from the controller (install skipped: no network here)', async (t) => {
  const key = join(tmp, 'docker-test.asc');
  writeFileSync(key, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nstand-in for the test, not Docker's key\n-----END PGP PUBLIC KEY BLOCK-----\n");
  const extra = { docker_source: 'upstream', docker_upstream_key_file: key };
  const r = await play(extra, ['--tags', 'docker_repo']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.notMatch(r.stdout, /Docker packages are installed/, 'the install is not reached');
  const source = (await exec(lab, 'h01', 'cat /etc/apt/sources.list.d/docker.sources')).stdout;
  t.match(source, /^Types: deb$/m);
  t.match(source, /^URIs: https:\/\/download\.docker\.com\/linux\/debian$/m);
  t.match(source, /^Suites: trixie$/m);
  t.match(source, /^Components: stable$/m);
  t.match(source, /^Signed-By: \/etc\/apt\/keyrings\/docker\.asc$/m);
  t.match(source, /^Architectures: amd64$/m);
  t.match((await exec(lab, 'h01', 'cat /etc/apt/keyrings/docker.asc')).stdout, /stand-in for the test/);
  const again = await play(extra, ['--tags', 'docker_repo', '--check', '--diff']);
  t.equal(recap(again.stdout).h01.changed, 0, 'the source is up to date');
  // apt-get update would fail on a repository this machine cannot reach
  await exec(lab, 'h01', 'rm -f /etc/apt/sources.list.d/docker.sources /etc/apt/keyrings/docker.asc');
});
