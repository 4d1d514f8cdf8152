import t from 'tap';
import { spawnSync } from 'node:child_process';
import { factsScript, parseFacts } from '../../../controller/facts/index.js';

// The probe is meant for any POSIX sh: run it with dash (Debian's /bin/sh, no bash-isms) on this machine.
const run = (text: string) => spawnSync('dash', ['-c', text], { encoding: 'utf8', timeout: 60_000 });

t.test('the script parses as POSIX sh', async (t) => {
  const r = spawnSync('dash', ['-n'], { input: factsScript().text, encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.equal(factsScript().shown, 'gather facts');
});

t.test('facts of this machine, for real', async (t) => {
  const r = run(factsScript().text);
  t.equal(r.status, 0, 'always exits 0');
  const vars = parseFacts(r.stdout);
  const f = vars.ansible_facts as Record<string, any>;
  t.ok(f.memtotal_mb > 0, 'memtotal_mb > 0');
  t.equal(f.architecture, process.arch === 'x64' ? 'x86_64' : f.architecture);
  t.equal(f.system, 'Linux');
  t.ok(['v1', 'v2', 'hybrid'].includes(f.cgroup_version), `cgroup_version detected: ${f.cgroup_version}`);
  t.ok(f.processor_vcpus >= 1);
  t.ok(f.processor_nproc >= 1);
  t.ok(f.hostname.length > 0);
  t.match(f.distribution_major_version, /^\d+$/);
  t.ok(f.mounts.some((m: { mount: string }) => m.mount === '/') || f.virtualization_role === 'guest', 'root mount listed (or a container)');
  t.equal(Math.abs(Number(f.date_time.epoch) - Date.now() / 1000) < 120, true, 'clock read');
  t.equal(f.user_uid, process.getuid?.());
  t.equal(vars.ansible_memtotal_mb, f.memtotal_mb, 'also as ansible_<name>');
});

t.test('a host missing every tool still gives facts', async (t) => {
  // PATH without any command: every probe fails, the script must still finish and parse.
  const dash = spawnSync('dash', ['-c', 'command -v dash'], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync(dash, ['-c', factsScript().text], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
  t.equal(r.status, 0);
  const f = parseFacts(r.stdout).ansible_facts as Record<string, unknown>;
  t.equal(f.system, 'Linux');
  t.same(f.mounts, []);
});
