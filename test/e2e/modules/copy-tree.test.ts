/**
 * End to end on a real lab host: copy with a directory as src (`dir/`: its contents; `dir`: the directory
 * itself), mode and owner on every file, a second run that changes nothing, then --check --diff after drift
 * (reported, not fixed) and a run that fixes it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap } from '../support.js';

const lab = await startLab({ name: 'lookups', count: 1 });
t.teardown(() => lab.stop());

const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const dir = mkdtempSync(join(tmpdir(), 'muster-copy-tree-'));
mkdirSync(join(dir, 'files/conf/sub/deep'), { recursive: true });
writeFileSync(join(dir, 'files/conf/a.conf'), 'alpha\n');
writeFileSync(join(dir, 'files/conf/sub/b.conf'), 'beta\n');
writeFileSync(join(dir, 'files/conf/sub/deep/c.conf'), 'gamma\n');
writeFileSync(
  join(dir, 'site.yml'),
  `- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: the contents of conf
      copy: {src: conf/, dest: /etc/muster-tree, mode: '0640', owner: muster, group: root}
    - name: conf itself
      copy: {src: conf, dest: /opt/muster-tree/}
`,
);
const play = (...more: string[]) => muster(['play', '-i', lab.inventoryPath, join(dir, 'site.yml'), ...more], { env });
const look = async (cmd: string) => (await exec(lab, 'h01', cmd)).stdout;

t.test('first run copies both trees', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.same(recap(r.stdout).h01, { ok: 2, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  t.equal(await look('cd /etc/muster-tree && find . -type f | sort'), './a.conf\n./sub/b.conf\n./sub/deep/c.conf\n');
  t.equal(await look('cd /opt/muster-tree && find . -type f | sort'), './conf/a.conf\n./conf/sub/b.conf\n./conf/sub/deep/c.conf\n');
  t.equal(await look('cat /etc/muster-tree/sub/deep/c.conf'), 'gamma\n');
  t.equal(await look('stat -c "%a %U %G" /etc/muster-tree/a.conf /etc/muster-tree/sub/deep/c.conf'), '640 muster root\n640 muster root\n');
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 0);
});

t.test('drift: --check --diff reports it without fixing, a run fixes it', async (t) => {
  await exec(lab, 'h01', 'echo drift > /etc/muster-tree/sub/b.conf');
  const c = await play('--check', '--diff');
  t.equal(c.code, 0, c.stdout + c.stderr);
  t.equal(recap(c.stdout).h01.changed, 1);
  t.match(c.stdout, /-drift\n\+beta/);
  t.equal(await look('cat /etc/muster-tree/sub/b.conf'), 'drift\n', 'check mode left it');
  const r = await play();
  t.equal(recap(r.stdout).h01.changed, 1);
  t.equal(await look('cat /etc/muster-tree/sub/b.conf'), 'beta\n');
});
