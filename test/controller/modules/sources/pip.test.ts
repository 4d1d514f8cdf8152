import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePip, pip, planPip, probePip, type PipState } from '../../../../controller/modules/sources/pip.js';
import { compareVersions, normalName, parseRequirement, satisfies } from '../../../../controller/modules/sources/pip-version.js';
import { argsFor, dash, fakeContext, framed, outcome } from '../system/fake.js';

t.test('names and requirements', async (t) => {
  t.equal(normalName('Demo_Pkg.x'), 'demo-pkg-x');
  t.same(parseRequirement('Requests[socks] >=2.0, <3'), {
    opaque: false,
    text: 'Requests[socks] >=2.0, <3',
    name: 'requests',
    specs: [
      ['>=', '2.0'],
      ['<', '3'],
    ],
  });
  t.same(parseRequirement('six==1.16.0'), { opaque: false, text: 'six==1.16.0', name: 'six', specs: [['==', '1.16.0']] });
  t.same(parseRequirement('/srv/app'), { opaque: true, text: '/srv/app' });
  t.same(parseRequirement('git+https://example.org/x.git'), { opaque: true, text: 'git+https://example.org/x.git' });
  t.same(parseRequirement('pkg @ https://x/pkg.whl'), { opaque: true, text: 'pkg @ https://x/pkg.whl' });
  t.same(parseRequirement('six=>1'), { error: 'bad version specifier "=>1" in "six=>1"' });
});

t.test('PEP 440 order and specifiers, both sides of each limit', async (t) => {
  const order = ['1.0.dev1', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0.post1', '1.0.1', '1.1', '2'];
  for (let i = 1; i < order.length; i++) t.ok(compareVersions(order[i - 1], order[i]) < 0, `${order[i - 1]} < ${order[i]}`);
  t.equal(compareVersions('1.0', '1.0.0'), 0);
  t.ok(satisfies('1.4.5', ['~=', '1.4.2']));
  t.notOk(satisfies('1.5', ['~=', '1.4.2']));
  t.notOk(satisfies('1.4.1', ['~=', '1.4.2']));
  t.ok(satisfies('1.2.9', ['==', '1.2.*']));
  t.notOk(satisfies('1.3', ['==', '1.2.*']));
  t.ok(satisfies('1.3', ['!=', '1.2.*']));
  t.ok(satisfies('2.0', ['>=', '2']));
  t.notOk(satisfies('1.9', ['>=', '2']));
  t.ok(satisfies('1.9', ['<', '2']));
  t.notOk(satisfies('2.0', ['<', '2']));
  t.ok(satisfies('2.0', ['<=', '2']));
  t.notOk(satisfies('2.0', ['>', '2']));
  t.ok(satisfies('1.0', ['===', '1.0']));
  t.notOk(satisfies('1.0.0', ['===', '1.0']));
});

const st = (installed: Record<string, string>, more: Partial<PipState> = {}): PipState => ({
  noChdir: false,
  venv: true,
  pip: 'pip3',
  installed: new Map(Object.entries(installed)),
  venvCommand: false,
  pythonVenv: true,
  ...more,
});
const I = 'pip3 install --disable-pip-version-check';
const FROZEN = (c: string, p = 'pip3') =>
  `b=$(${p} freeze --all --disable-pip-version-check 2>/dev/null); ${c}; rc=$?; [ "$b" = "$(${p} freeze --all --disable-pip-version-check 2>/dev/null)" ] || echo @@muster:pip-changed; exit $rc`;

const table: [string, Record<string, unknown>, PipState, string | string[]][] = [
  ['installed -> noop', { name: ['six'] }, st({ six: '1.16.0' }), 'noop: six is installed'],
  ['missing -> install', { name: ['six', 'Demo_Pkg'] }, st({ six: '1.16.0' }), [`${I} six Demo_Pkg`]],
  ['version satisfied', { name: ['six'], version: '1.16.0' }, st({ six: '1.16.0' }), 'noop: six==1.16.0 is installed'],
  ['version differs', { name: ['six'], version: '1.15' }, st({ six: '1.16.0' }), [`${I} six==1.15`]],
  ['specifier satisfied', { name: ['six>=1.10,<2'] }, st({ six: '1.16.0' }), 'noop: six>=1.10,<2 is installed'],
  ['specifier not satisfied', { name: ['six>=1.17'] }, st({ six: '1.16.0' }), [`${I} 'six>=1.17'`]],
  ['latest: pip decides', { name: ['six'], state: 'latest' }, st({ six: '1.16.0' }), [FROZEN(`${I} -U six`)]],
  ['forcereinstall', { name: ['six'], state: 'forcereinstall' }, st({ six: '1.16.0' }), [`${I} -U --force-reinstall six`]],
  ['requirements', { requirements: 'req.txt', chdir: '/srv/app' }, st({}), [`cd /srv/app && ${FROZEN(`${I} -r req.txt`)}`]],
  ['editable path', { name: ['/srv/app'], editable: true }, st({}), [FROZEN(`${I} -e /srv/app`)]],
  [
    'extra args and umask',
    { name: ['six'], extra_args: '--no-index --find-links "/srv/w h"', umask: '0022' },
    st({}),
    [`umask 0022 && ${I} --no-index --find-links '/srv/w h' six`],
  ],
  ['break system packages', { name: ['six'], break_system_packages: true }, st({}), [`${I} --break-system-packages six`]],
  ['absent, installed', { name: ['six', 'other'], state: 'absent' }, st({ six: '1' }), ['pip3 uninstall -y six']],
  ['absent, not installed', { name: ['six'], state: 'absent' }, st({}), 'noop: six not installed'],
  [
    'absent, no virtualenv',
    { name: ['six'], state: 'absent', virtualenv: '/v' },
    st({}, { venv: false }),
    'noop: virtualenv /v does not exist: nothing is installed there',
  ],
  [
    'new virtualenv with python3 -m venv',
    { name: ['six'], virtualenv: '/v', virtualenv_site_packages: true },
    st({}, { venv: false, pip: '' }),
    ['python3 -m venv --system-site-packages /v', '/v/bin/pip install --disable-pip-version-check six'],
  ],
  [
    'new virtualenv with virtualenv -p',
    { name: ['six'], virtualenv: '/v', virtualenv_python: 'python3.13' },
    st({}, { venv: false, pip: '', venvCommand: true }),
    ['virtualenv -p python3.13 /v', '/v/bin/pip install --disable-pip-version-check six'],
  ],
  [
    'no way to make a virtualenv',
    { name: ['six'], virtualenv: '/v' },
    st({}, { venv: false, pip: '', pythonVenv: false }),
    'fail: cannot create the virtualenv /v: virtualenv is not installed and python3 has no venv module (Debian: install python3-venv, or virtualenv)',
  ],
  [
    'no pip',
    { name: ['six'] },
    st({}, { pip: '' }),
    'fail: pip not found on the host: install it first (Debian: the python3-pip package), or give executable:',
  ],
  ['nothing named', {}, st({}), 'fail: one of name or requirements is required'],
  [
    'version and specifier',
    { name: ['six==1'], version: '2' },
    st({}),
    'fail: the version argument conflicts with a version specifier given with the name: use one of them',
  ],
  ['chdir missing', { name: ['six'], chdir: '/nope' }, st({}, { noChdir: true }), 'fail: chdir /nope does not exist on the host'],
];
for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planPip(argsFor(pip, given), s).plan), want));
}

t.test('parse the probe output', async (t) => {
  const s = parsePip(framed({ venv: 'yes\n', pip: 'pip3\n', list: '[{"name": "Demo_Pkg", "version": "1.0"}]\n', tools: 'venv\n' }));
  t.same(s, { noChdir: false, venv: true, pip: 'pip3', installed: new Map([['demo-pkg', '1.0']]), venvCommand: false, pythonVenv: true });
  t.equal(parsePip(framed({ pip: '\n', list: ['', 1], tools: '' })).installed, undefined, 'no pip: nothing listed');
  const old = parsePip(framed({ pip: 'pip\n', list: ['', 2], freeze: 'Demo_Pkg==1.0\n-e git+https://x/y.git#egg=y\nsix==1.16.0\n', tools: '' }));
  t.same(
    old.installed,
    new Map([
      ['demo-pkg', '1.0'],
      ['six', '1.16.0'],
    ]),
    'an old pip: its freeze instead',
  );
});

/** A wheel of demo-pkg at `version`, built by hand with Python's zipfile (no network, no build backend). */
function wheel(dir: string, version: string): void {
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
  execFileSync('python3', ['-c', py, dir, version]);
}

t.test('for real with dash: a virtualenv, local wheels, idempotent, latest, requirements, absent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-pip-'));
  const wheels = join(dir, 'wheels');
  mkdirSync(wheels);
  wheel(wheels, '1.0');
  wheel(wheels, '2.0');
  const venv = join(dir, 'venv');
  const local = { cwd: dir, env: { HOME: dir, PATH: process.env.PATH ?? '/usr/bin:/bin' } };
  const base = { virtualenv: venv, extra_args: `--no-index --find-links ${wheels}` };
  const run = (given: Record<string, unknown>, check = false) => pip.run(argsFor(pip, { ...base, ...given }), fakeContext({ check, local }));
  const installed = () => dash(`${venv}/bin/python -c 'import demo_pkg; print(demo_pkg.VERSION)'`).stdout.trim();

  const checked = await run({ name: ['demo-pkg==1.0'] }, true);
  t.equal(checked.changed, true);
  t.notOk(existsSync(venv), 'check mode makes no virtualenv');
  const first = await run({ name: ['demo-pkg==1.0'] });
  t.equal(first.changed, true, first.msg ?? String(first.data?.stderr));
  t.equal(installed(), '1.0');
  const again = await run({ name: ['demo-pkg==1.0'] });
  t.equal(again.changed, false);
  t.equal(again.msg, 'demo-pkg==1.0 is installed');
  t.equal((await run({ name: ['demo_pkg'], version: '2.0' })).changed, true);
  t.equal(installed(), '2.0');
  const latest = await run({ name: ['demo-pkg'], state: 'latest' });
  t.equal(latest.changed, false, 'already the latest: pip freeze is the same');
  const req = join(dir, 'req.txt');
  writeFileSync(req, 'demo-pkg==1.0\n');
  t.equal((await run({ requirements: req })).changed, true, 'requirements downgrade');
  t.equal(installed(), '1.0');
  t.equal((await run({ requirements: req })).changed, false, 'requirements again: nothing');
  // pip uninstall takes no --find-links: extra_args go to it as well, as in Ansible
  const absent = { name: ['demo-pkg'], state: 'absent', extra_args: undefined };
  const removed = await run(absent);
  t.equal(removed.changed, true);
  t.notOk(removed.failed, String(removed.msg));
  t.equal((await run(absent)).changed, false);
  const probe = parsePip(dash(probePip({ virtualenv: venv })).stdout);
  t.equal(probe.venv, true);
  t.equal(probe.installed?.has('demo-pkg'), false);
});

t.test("an externally managed Python: pip's refusal explained", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-pip-'));
  const fake = join(dir, 'pip3');
  writeFileSync(fake, '#!/bin/sh\ncase "$1" in list) echo "[]";; freeze) ;; *) echo "error: externally-managed-environment" >&2; exit 1;; esac\n');
  chmodSync(fake, 0o755);
  const r = await pip.run(argsFor(pip, { name: ['six'], executable: fake }), fakeContext({ local: { cwd: dir } }));
  t.equal(r.failed, true);
  t.match(r.msg, /externally managed \(PEP 668\): give virtualenv:/);
});
