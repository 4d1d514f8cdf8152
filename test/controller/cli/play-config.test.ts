/** `muster play` with ansible.cfg and ANSIBLE_*: which file, what it sets, what wins, and its errors. */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { muster } from './run-main.js';

const home = t.testdir({});
process.env.HOME = home;
for (const k of Object.keys(process.env)) if (k.startsWith('ANSIBLE_')) delete process.env[k];

/** A directory with an inventory of one local host, a playbook with a role, and the given ansible.cfg. */
function project(t: Test, cfg: string | undefined, more: Record<string, unknown> = {}) {
  return t.testdir({
    'hosts.yml': 'all:\n  hosts:\n    box: {ansible_connection: local}\n',
    'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [hello]\n  tasks:\n    - name: say\n      debug: msg="{{ greeting | default(\'hi\') }}"\n',
    lib: { hello: { tasks: { 'main.yml': '- name: from the role\n  debug: msg=role\n' } } },
    ...(cfg === undefined ? {} : { 'ansible.cfg': cfg }),
    ...more,
  });
}

/** Runs muster with ANSIBLE_CONFIG (or none) and extra environment; stderr is captured too. */
async function play(env: Record<string, string>, ...argv: string[]) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const r = await muster('play', ...argv);
    return { ...r, err };
  } finally {
    process.stderr.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

t.test('ANSIBLE_CONFIG: -v names the file; inventory and roles_path from it, relative to it', async (t) => {
  const dir = project(t, '[defaults]\ninventory = hosts.yml\nroles_path = lib\nstdout_callback = yaml\n');
  const r = await play({ ANSIBLE_CONFIG: join(dir, 'ansible.cfg') }, '-v', '--list-tasks', join(dir, 'site.yml'));
  t.equal(r.code, 0, r.out);
  t.match(r.out, `Using ${join(dir, 'ansible.cfg')} as config file`);
  t.match(r.out, '(muster does not use: [defaults] stdout_callback)');
  t.match(r.out, /hello : from the role[\s\S]*say/);
});

t.test('./ansible.cfg in the working directory; without -v nothing is said about it', async (t) => {
  const dir = project(t, '[defaults]\ninventory = hosts.yml\nroles_path = lib\n');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const r = await play({}, '--list-hosts', 'site.yml');
    t.equal(r.code, 0, r.out);
    t.match(r.out, /hosts \(1\):\s+box/);
    t.notMatch(r.out, 'config file');
  } finally {
    process.chdir(cwd);
  }
});

t.test('no file: -v says so; no inventory anywhere is refused naming ansible.cfg', async (t) => {
  const dir = project(t, undefined);
  const r = await play({}, '-v', '-i', join(dir, 'hosts.yml'), '--syntax-check', join(dir, 'site.yml'));
  t.match(r.out, 'No config file found; using defaults');
  t.equal(r.code, 1, 'the role is nowhere without roles_path');
  t.match(r.out, /role "hello" not found[\s\S]*roles_path in ansible\.cfg/);
  const none = await play({}, join(dir, 'site.yml'));
  t.equal(none.code, 5);
  t.match(none.out, /no inventory given[\s\S]*ansible\.cfg or ANSIBLE_INVENTORY/);
});

t.test('-i over ANSIBLE_INVENTORY over the file; ANSIBLE_ROLES_PATH over roles_path', async (t) => {
  const dir = project(t, '[defaults]\ninventory = nowhere.yml\nroles_path = nowhere\n', {
    'other.yml': 'all:\n  hosts:\n    other: {ansible_connection: local}\n',
  });
  const cfg = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_ROLES_PATH: join(dir, 'lib') };
  const env = await play({ ...cfg, ANSIBLE_INVENTORY: join(dir, 'hosts.yml') }, '--list-hosts', join(dir, 'site.yml'));
  t.equal(env.code, 0, env.out);
  t.match(env.out, /hosts \(1\):\s+box/);
  const cli = await play({ ...cfg, ANSIBLE_INVENTORY: join(dir, 'hosts.yml') }, '-i', join(dir, 'other.yml'), '--list-hosts', join(dir, 'site.yml'));
  t.match(cli.out, /hosts \(1\):\s+other/);
  const file = await play(cfg, '--list-hosts', join(dir, 'site.yml'));
  t.equal(file.code, 1);
  t.match(file.out, /nowhere\.yml/, "the file's inventory when nothing else names one");
});

t.test('MUSTER_ROLES_PATH is searched beside roles_path', async (t) => {
  const dir = project(t, undefined);
  const r = await play({ MUSTER_ROLES_PATH: join(dir, 'lib') }, '-i', join(dir, 'hosts.yml'), '--list-tasks', join(dir, 'site.yml'));
  t.equal(r.code, 0, r.out);
  t.match(r.out, 'hello : from the role');
});

const broken: { name: string; cfg: string; env?: Record<string, string>; code: number; out: RegExp }[] = [
  {
    name: 'a line that is not INI',
    cfg: '[defaults]\ninventory hosts.yml\n',
    code: 1,
    out: /ansible\.cfg:2:1: cannot read "inventory hosts\.yml"[\s\S]*write key = value/,
  },
  { name: 'a key before a section', cfg: 'forks = 5\n', code: 1, out: /ansible\.cfg:1:1: a setting before any \[section\] header/ },
  {
    name: 'become_method su',
    cfg: '[privilege_escalation]\nbecome_method = su\n',
    code: 1,
    out: /become_method "su" is not supported: muster becomes with sudo only/,
  },
  {
    name: 'forks in the environment',
    cfg: '[defaults]\n',
    env: { ANSIBLE_FORKS: 'lots' },
    code: 1,
    out: /ANSIBLE_FORKS: "lots" is not a positive whole number/,
  },
  {
    name: 'two inventories',
    cfg: '[defaults]\ninventory = a.yml, b.yml\n',
    code: 5,
    out: /muster reads one inventory, but .*ansible\.cfg:2 \(\[defaults\] inventory\) names 2/,
  },
];

for (const c of broken)
  t.test(`refused: ${c.name}`, async (t) => {
    const dir = project(t, c.cfg);
    const r = await play({ ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ...c.env }, '--syntax-check', join(dir, 'site.yml'));
    t.equal(r.code, c.code, r.out);
    t.match(r.out, c.out);
  });

t.test('a run: remote_user and forks from the file, host_key_checking = False warned about', async (t) => {
  const dir = project(t, '[defaults]\ninventory = hosts.yml\nroles_path = lib\nforks = 3\nhost_key_checking = False\n');
  const r = await play({ ANSIBLE_CONFIG: join(dir, 'ansible.cfg') }, join(dir, 'site.yml'), '-e', 'greeting=hello');
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, /"msg": "hello"/);
  t.match(r.err, /\[WARNING\]: host_key_checking is off .*muster keeps verifying SSH host keys/);
});

t.test('vars_prompt: -e answers it; without one and without a terminal, an error naming the variable', async (t) => {
  const dir = project(t, undefined, {
    'ask.yml':
      '- hosts: all\n  gather_facts: false\n  vars_prompt:\n    - name: release\n      prompt: Which release?\n  tasks:\n    - debug: msg="{{ release }}"\n',
  });
  const given = await play({}, '-i', join(dir, 'hosts.yml'), join(dir, 'ask.yml'), '-e', 'release=v2');
  t.equal(given.code, 0, given.out);
  t.match(given.out, /"msg": "v2"/);
  const missing = await play({}, '-i', join(dir, 'hosts.yml'), join(dir, 'ask.yml'));
  t.equal(missing.code, 5);
  t.match(missing.out, /ask\.yml:4:\d+: vars_prompt "release" has no terminal to ask on[\s\S]*-e release=VALUE/);
});

t.test('--force-handlers on the command line', async (t) => {
  const dir = project(t, undefined, {
    'h.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      notify: h\n    - command: "false"\n  handlers:\n    - name: h\n      debug: msg=handled\n',
  });
  const without = await play({}, '-i', join(dir, 'hosts.yml'), join(dir, 'h.yml'));
  t.equal(without.code, 2);
  t.notMatch(without.out, 'handled');
  const forced = await play({}, '-i', join(dir, 'hosts.yml'), '--force-handlers', join(dir, 'h.yml'));
  t.equal(forced.code, 2);
  t.match(forced.out, 'handled');
});
