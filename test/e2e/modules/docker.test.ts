/**
 * The community.docker modules on a real lab host running dockerd (Debian's docker.io, docker-cli and the
 * docker-compose v2 plugin): the playbook that uses all five, twice (the second run changes nothing), then
 * --check --diff after a drift, a recreate when an option changes, the clear refusals (no registry here),
 * and everything absent again. Nothing can be pulled: the base image arrives as an archive on the host.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { ensureImage, IMAGE } from '../../agent/e2e/lab.js';
import { muster, recap, ROOT } from '../support.js';

const lab = await startLab({ name: 'e2e-dockmod', count: 1, docker: true });
t.teardown(() => lab.stop());

const tmp = mkdtempSync(join(tmpdir(), 'muster-dockmod-'));
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const container = lab.hosts[0].container;
const playFile = (file: string, more: string[] = []) => muster(['play', '-i', lab.inventoryPath, file, ...more], { env });
const play = (more: string[] = []) => playFile(join(ROOT, 'test/e2e/playbooks/docker-modules.yml'), more);
const sh = async (cmd: string) => (await exec(lab, 'h01', cmd)).stdout;
/** A one-play playbook in the temp directory, run as root on the lab. */
const tasks = (name: string, yaml: string) => {
  const file = join(tmp, `${name}.yml`);
  writeFileSync(file, `- hosts: lab\n  become: true\n  gather_facts: false\n  tasks:\n${yaml}`);
  return file;
};

t.before(async () => {
  const install = await exec(
    lab,
    'h01',
    'DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io docker-cli docker-compose >/tmp/apt.log 2>&1 || tail -20 /tmp/apt.log',
  );
  if (install.stdout.trim()) throw new Error(`apt-get install failed in the lab host: ${install.stdout}`);
  ensureImage('/var/run/docker.sock');
  const tar = execFileSync('docker', ['image', 'save', IMAGE], { maxBuffer: 64 << 20 });
  execFileSync('docker', ['exec', '-i', container, 'sh', '-c', 'mkdir -p /srv/img && cat > /srv/img/busybox.tar'], { input: tar });
});

t.test('first run loads, builds, creates and starts everything', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  const s = recap(r.stdout).h01;
  t.ok(s.changed >= 9, `changes on the first run (${s.changed})`);
  t.equal(s.failed, 0);
  const info = await sh(
    'docker inspect --format \'{{.State.Running}} {{.State.Health.Status}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.Config.Hostname}} {{(index .NetworkSettings.Networks "muster-net").IPAddress}}\' muster-app',
  );
  t.equal(info.trim(), 'true healthy 67108864 500000000 app 172.30.0.10', 'the app container runs with its options and is healthy');
  t.match(
    await sh("docker exec muster-app sh -c 'cat /hello.txt /greeting; echo $GREETING $FROM_FILE'"),
    'hello\nhi\nhello yes\n',
    'built image, build arg and env',
  );
  t.equal((await sh("docker inspect --format '{{.State.Status}}' muster-idle")).trim(), 'created', 'the stopped container exists, not started');
  t.match(await sh('docker volume inspect --format "{{.Labels.app}}" muster-data'), 'muster');
  t.match(await sh('docker network inspect --format "{{range .IPAM.Config}}{{.Subnet}}{{end}}" muster-net'), '172.30.0.0/24');
  t.match(await sh('tar -tf /srv/img/app.tar'), /manifest\.json/, 'the archive was saved');
  const ps = await sh('docker compose --project-directory /srv/stack --profile jobs ps --format "{{.Service}} {{.State}}"');
  t.same(ps.trim().split('\n').sort(), ['web running', 'worker running'], 'both Compose services run');
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 0, 'changed=0');
});

t.test('--check --diff after a drift reports it and touches nothing', async (t) => {
  await sh(
    'docker stop -t 1 muster-app >/dev/null; docker network disconnect muster-net muster-app; docker compose --project-directory /srv/stack stop web 2>/dev/null',
  );
  const r = await play(['--check', '--diff']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 3, 'the app container, its health wait and the project would change');
  t.match(r.stdout, /\+# connected to muster-net\n\+# started/, 'the diff names what would be done');
  t.match(r.stdout, /\+# web: stack-web-1 not running/);
  t.equal((await sh("docker inspect --format '{{.State.Running}}' muster-app")).trim(), 'false', 'the host is untouched');
  const fixed = await play();
  t.equal(recap(fixed.stdout).h01.changed, 2, 'a real run repairs the container and the project');
  t.equal(recap((await play()).stdout).h01.changed, 0, 'and the next changes nothing');
});

t.test('a changed option recreates the container; an unchanged one keeps it', async (t) => {
  const id = async () => (await sh("docker inspect --format '{{.Id}}' muster-idle")).trim();
  const before = await id();
  const file = tasks(
    'recreate',
    `    - community.docker.docker_container:
        name: muster-idle
        image: muster-busybox:1
        command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
        env: { MODE: "{{ mode }}" }
        state: stopped
`,
  );
  const first = await playFile(file, ['-e', 'mode=a']);
  t.equal(recap(first.stdout).h01.changed, 1, first.stdout);
  const a = await id();
  t.not(a, before, 'env given -> a new container');
  t.equal(recap((await playFile(file, ['-e', 'mode=a'])).stdout).h01.changed, 0, 'same env: kept');
  t.equal(await id(), a);
  const b = await playFile(file, ['-e', 'mode=b', '--diff']);
  t.equal(recap(b.stdout).h01.changed, 1);
  t.match(b.stdout, /recreated \(env: /, 'the diff says why');
  t.not(await id(), a);
});

t.test('what needs a registry is refused clearly', async (t) => {
  const file = tasks(
    'refusals',
    `    - community.docker.docker_image: { name: "example.invalid/none", tag: "1", source: pull }
      ignore_errors: true
      register: pulled
    - community.docker.docker_container: { name: muster-none, image: "example.invalid/none:1", pull: never }
      ignore_errors: true
      register: never
    - assert:
        that:
          - pulled.failed
          - "'no registry answered' in pulled.msg"
          - never.failed
          - "'pull=never' in never.msg"
`,
  );
  const r = await playFile(file);
  t.equal(r.code, 0, r.stdout + r.stderr);
});

t.test('absent: everything goes, then nothing more to do', async (t) => {
  const file = tasks(
    'absent',
    `    - community.docker.docker_compose_v2: { project_src: /srv/stack, profiles: [jobs], state: absent }
    - community.docker.docker_container: { name: "{{ item }}", state: absent }
      loop: [muster-app, muster-idle]
    - community.docker.docker_network: { name: muster-net, state: absent, force: true }
    - community.docker.docker_volume: { name: muster-data, state: absent }
    - community.docker.docker_image: { name: muster-app, tag: v1, state: absent }
`,
  );
  const r = await playFile(file);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 5, 'project, containers, network, volume, image');
  t.equal((await sh('docker ps -aq | wc -l')).trim(), '0', 'no container left');
  t.equal((await sh('docker network ls -q --filter name=muster-net | wc -l; docker volume ls -q --filter name=muster-data | wc -l')).trim(), '0\n0');
  t.equal(recap((await playFile(file)).stdout).h01.changed, 0, 'a second run changes nothing');
});
