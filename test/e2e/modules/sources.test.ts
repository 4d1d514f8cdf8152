/** End to end on a real lab host: apt_repository, apt_key, pip and git in one playbook, twice, then --check --diff after a drift. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap, ROOT } from '../support.js';

const lab = await startLab({ name: 'e2e-sources', count: 1 });
t.teardown(() => lab.stop());

const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-sources-'));

/** Two OpenPGP keys made here (gpg in a temp home): armored text and fingerprint. */
function makeKey(uid: string): { armored: string; fpr: string } {
  const home = join(tmp, 'gnupg');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const env = { GNUPGHOME: home };
  execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'], { env, stdio: 'ignore' });
  const armored = execFileSync('gpg', ['--armor', '--export', uid], { env }).toString();
  const fpr = /^fpr:{9}([0-9A-F]{40}):/m.exec(execFileSync('gpg', ['--with-colons', '--list-keys', uid], { env }).toString())?.[1] ?? '';
  return { armored, fpr };
}

/** A wheel of demo-pkg at `version`, built with Python's zipfile (no network, no build backend). */
function wheel(version: string): string {
  const py = `
import base64, hashlib, sys, zipfile
d, v = sys.argv[1], sys.argv[2]
info = f"demo_pkg-{v}.dist-info"
files = {"demo_pkg/__init__.py": f"VERSION = {v!r}\\n",
         f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: demo-pkg\\nVersion: {v}\\n",
         f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: muster-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
rec = [f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode()},{len(c.encode())}" for p, c in files.items()]
files[f"{info}/RECORD"] = "\\n".join(rec + [f"{info}/RECORD,,"]) + "\\n"
with zipfile.ZipFile(f"{d}/demo_pkg-{v}-py3-none-any.whl", "w") as z:
    for p, c in files.items(): z.writestr(p, c)
`;
  execFileSync('python3', ['-c', py, tmp, version]);
  return join(tmp, `demo_pkg-${version}-py3-none-any.whl`);
}

const one = makeKey('One <one@example.org>');
const two = makeKey('Two <two@example.org>');
writeFileSync(join(tmp, 'two.asc'), two.armored);
const extra = JSON.stringify({
  key_one: one.armored,
  key_two_path: join(tmp, 'two.asc'),
  key_two_id: two.fpr.slice(-16),
  wheels: [wheel('1.0'), wheel('2.0')],
});
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const play = (more: string[] = []) => muster(['play', '-i', lab.inventoryPath, join(ROOT, 'test/e2e/playbooks/sources.yml'), '-e', extra, ...more], { env });

t.test('first run: the source, the keys, the packages, the checkouts', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  const s = recap(r.stdout).h01;
  t.equal(s.failed, 0);
  t.ok(s.changed >= 8, `changes on the first run (${s.changed})`);
  const host = await exec(
    lab,
    'h01',
    [
      'cat /etc/apt/sources.list.d/local-demo.list',
      `ls /etc/apt/trusted.gpg.d/${one.fpr.slice(-16)}.gpg`,
      'GNUPGHOME=$(mktemp -d) gpg --show-keys --with-colons /etc/apt/keyrings/demo.gpg | grep ^fpr | head -1',
      '/opt/venv/bin/python -c "import demo_pkg; print(demo_pkg.VERSION)"',
      'cat /opt/src/app.txt; git -C /opt/src symbolic-ref --short HEAD; git -C /opt/src-v1 rev-list --count HEAD',
      'apt-cache policy 2>/dev/null | grep -c srv/repo',
    ].join('; '),
  );
  t.match(host.stdout, /^deb \[trusted=yes\] file:\/\/\/srv\/repo \.\/\n/, 'the source line in NAME.list');
  t.match(host.stdout, `${one.fpr.slice(-16)}.gpg`, 'the key from data in trusted.gpg.d');
  t.match(host.stdout, two.fpr, 'the key from a file in its keyring');
  t.match(host.stdout, /\n1\.0\n/, 'demo-pkg 1.0 in the virtualenv');
  t.match(host.stdout, /v1\nmain\n1\n/, 'main checked out on its branch; the tag shallow');
  t.match(host.stdout, /[1-9]\n$/, 'apt knows the repository after its update');
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 0, r.stdout);
});

t.test('--check --diff after a drift reports it and changes nothing', async (t) => {
  await exec(lab, 'h01', `rm /etc/apt/sources.list.d/local-demo.list /etc/apt/trusted.gpg.d/${one.fpr.slice(-16)}.gpg`);
  const r = await play(['--check', '--diff']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /\+deb \[trusted=yes\] file:\/\/\/srv\/repo \.\//, '--diff shows the source line');
  const changed = [...r.stdout.matchAll(/^changed: \[h01\]/gm)].length;
  t.equal(recap(r.stdout).h01.changed, changed);
  t.match(r.stdout, /TASK \[apt_repository writes the source and apt-get update takes it\][^\n]*\nchanged: \[h01\]/);
  t.match(r.stdout, /TASK \[apt_key from data, into trusted.gpg.d\][^\n]*\nchanged: \[h01\]/);
  t.match(r.stdout, /TASK \[git clone of main\][^\n]*\nok: \[h01\]/, 'what did not drift stays ok');
  const st = await exec(lab, 'h01', `ls /etc/apt/sources.list.d/ /etc/apt/trusted.gpg.d/ | grep -c -e local-demo -e ${one.fpr.slice(-16)} || true`);
  t.equal(st.stdout.trim(), '0', 'the host is untouched');
  const fixed = await play();
  t.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  t.equal(recap(fixed.stdout).h01.changed, 2, 'a real run puts back the two drifted things');
});
