/** End to end on real lab hosts (sshd, systemd, sudo in containers): the every-module playbook, twice, and --check. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../lab/lab.mjs';
import { muster, recap, ROOT } from './support.js';

const lab = await startLab({ name: 'e2e-play', count: 2 });
t.teardown(() => lab.stop());

const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-'));
mkdirSync(join(tmp, 'payload'));
writeFileSync(join(tmp, 'payload', 'hello.txt'), 'hello\n');
execFileSync('tar', ['-C', tmp, '-czf', join(tmp, 'payload.tgz'), 'payload']);
const key = readFileSync(`${lab.keyPath}.pub`, 'utf8').trim();
const extra = JSON.stringify({
  demo_key: key,
  archive: join(tmp, 'payload.tgz'),
  banner_sha256: '1fc2da3c16f12aca5f8228486da731b15fac30657cc097a22a08a2c9f17b7549',
  fetch_dir: join(tmp, 'fetched'),
});
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const play = (more: string[] = []) =>
  muster(['play', '-i', lab.inventoryPath, join(ROOT, 'test/e2e/playbooks/every-module.yml'), '-e', extra, ...more], { env });

t.test('first run applies every module', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  const stats = recap(r.stdout);
  t.same(Object.keys(stats).sort(), ['h01', 'h02']);
  for (const s of Object.values(stats)) {
    t.ok(s.changed > 10, `many changes on the first run (${s.changed})`);
    t.equal(s.failed, 0);
    t.equal(s.rescued, 1, 'the deliberate failure is rescued');
  }
  t.match(r.stdout, /RUNNING HANDLER \[demo changed\]/);
  const files = await exec(
    lab,
    'h01',
    'cat /opt/demo/conf/app.env /opt/demo/conf/ports.env /opt/demo/conf/settings.env; stat -c "%a %U" /opt/demo/conf/app.env; cat /opt/demo/conf/demo.conf; ls /opt/demo/dist/payload; hostname; readlink /opt/demo/current',
  );
  t.match(files.stdout, /app=demo\nport=8080\nmode=prod\n/);
  t.match(files.stdout, /640 demo/);
  t.match(files.stdout, /peer = h01\npeer = h02/);
  t.match(files.stdout, /hello.txt/);
  t.match(files.stdout, /h01-demo/);
  t.match(files.stdout, /\/opt\/demo\/conf/);
  t.ok(existsSync(join(tmp, 'fetched', 'h01', 'etc', 'os-release')), 'fetch wrote dest/HOST/PATH');
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  for (const [host, s] of Object.entries(recap(r.stdout))) t.equal(s.changed, 0, `${host}: changed=0 on the second run`);
  t.notMatch(r.stdout, /RUNNING HANDLER/);
});

t.test('--check reports what would change and changes nothing', async (t) => {
  await exec(lab, 'h01', 'printf "port=1\\n" > /opt/demo/conf/ports.env; rm /opt/demo/conf/banner.txt; chmod 600 /opt/demo/conf/demo.conf');
  const r = await play(['--check', '--diff']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const s = recap(r.stdout);
  t.equal(s.h01.changed, 3, 'three drifted things are reported on h01');
  t.equal(s.h02.changed, 0, 'h02 did not drift');
  t.match(r.stdout, /-port=1\n\+port=8080/, '--diff shows the line edit');
  const st = await exec(
    lab,
    'h01',
    'cat /opt/demo/conf/ports.env; test -e /opt/demo/conf/banner.txt && echo there || echo gone; stat -c %a /opt/demo/conf/demo.conf',
  );
  t.equal(st.stdout, 'port=1\ngone\n600\n', 'the host is untouched');
});

t.test("muster facts prints each host's facts as JSON", async (t) => {
  const r = await muster(['facts', '-i', lab.inventoryPath, 'h01'], { env });
  t.equal(r.code, 0, r.stderr);
  const facts = JSON.parse(r.stdout);
  t.same(Object.keys(facts), ['h01']);
  t.equal(facts.h01.ansible_facts.distribution_release, 'trixie');
  t.equal(facts.h01.ansible_facts.service_mgr, 'systemd');
  t.ok(facts.h01.ansible_facts.memtotal_mb > 0);
});

t.test("delegate_to: a task of h01 runs over h02's SSH connection, and on the controller", async (t) => {
  const book = join(tmp, 'delegate.yml');
  writeFileSync(
    book,
    [
      '- hosts: h01',
      '  gather_facts: false',
      '  tasks:',
      '    - name: read the peer',
      '      command: cat /etc/hostname',
      '      delegate_to: h02',
      '      register: peer',
      '      changed_when: false',
      '    - debug: var=peer.stdout',
      '    - name: write on the peer',
      '      copy: {content: "from {{ inventory_hostname }}\\n", dest: /tmp/delegated.txt}',
      '      delegate_to: h02',
      '    - name: on the controller',
      '      command: "true"',
      '      delegate_to: localhost',
      '      changed_when: false',
      '',
    ].join('\n'),
  );
  const run = () => muster(['play', '-i', lab.inventoryPath, book], { env });
  const r = await run();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, 'ok: [h01 -> h02]');
  t.match(r.stdout, 'changed: [h01 -> h02]');
  t.match(r.stdout, 'ok: [h01 -> localhost]');
  const peerName = (await exec(lab, 'h02', 'cat /etc/hostname')).stdout.trim();
  t.match(r.stdout, `"peer.stdout": "${peerName}"`, 'registered on h01: what h02 answered');
  t.same(Object.keys(recap(r.stdout)), ['h01'], 'only h01 in the recap');
  t.equal((await exec(lab, 'h02', 'cat /tmp/delegated.txt')).stdout, 'from h01\n', "written on h02 with h01's variables");
  t.equal((await exec(lab, 'h01', 'test -e /tmp/delegated.txt && echo there || echo absent')).stdout, 'absent\n', 'not on h01');
  const again = await run();
  t.equal(recap(again.stdout).h01.changed, 0, 'idempotent through the delegate too');
});
