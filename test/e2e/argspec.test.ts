/** End to end on a lab host: a role's meta/argument_specs.yml is checked before its first task, as Ansible does. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../lab/lab.mjs';
import { muster, recap } from './support.js';

const lab = await startLab({ name: 'argspec', count: 1 });
t.teardown(() => lab.stop());

const dir = mkdtempSync(join(tmpdir(), 'muster-argspec-'));
const files: Record<string, string> = {
  'roles/web/meta/argument_specs.yml': [
    'argument_specs:',
    '  main:',
    '    short_description: A small web service',
    '    options:',
    '      web_port: {type: int, required: true}',
    '      web_mode: {type: str, choices: [dev, prod], default: prod}',
    '      web_users:',
    '        type: list',
    '        elements: dict',
    '        options:',
    '          name: {type: str, required: true}',
    '',
  ].join('\n'),
  'roles/web/defaults/main.yml': 'web_users: [{name: alice}]\n',
  'roles/web/tasks/main.yml': [
    '- name: Write the port',
    '  copy:',
    '    dest: /tmp/argspec-web.conf',
    '    content: "port={{ web_port }} mode={{ web_mode | default(\'unset\') }}\\n"',
    '',
  ].join('\n'),
  'good.yml':
    '- hosts: all\n  gather_facts: false\n  roles:\n    - role: web\n      web_port: "8080"\n  tasks:\n    - name: After the role\n      debug: msg=after\n',
  'bad.yml':
    '- hosts: all\n  gather_facts: false\n  roles:\n    - role: web\n      web_port: eighty\n      web_mode: test\n  tasks:\n    - name: After the role\n      debug: msg=after\n',
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const play = (book: string, more: string[] = []) => muster(['play', '-i', lab.inventoryPath, join(dir, book), ...more], { env });

t.test('a role whose variables match its spec runs on, its defaults left as they were', async (t) => {
  const r = await play('good.yml');
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /TASK \[web : Validating arguments against arg spec 'main' - A small web service\]/);
  t.match(r.stdout, /TASK \[After the role\]/, 'the play goes on after the role');
  t.same(recap(r.stdout).h01, { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  const conf = await exec(lab, 'h01', 'cat /tmp/argspec-web.conf');
  t.equal(conf.stdout, 'port=8080 mode=unset\n', 'the spec default is not set as a variable (Ansible 2.14)');
});

t.test('a role whose variables break its spec fails the host before its first task, naming each variable', async (t) => {
  await exec(lab, 'h01', 'rm -f /tmp/argspec-web.conf');
  const r = await play('bad.yml');
  t.equal(r.code, 2, r.stdout + r.stderr);
  t.match(r.stdout, /Validation of arguments failed for role \\?"web\\?" \(arg spec 'main'\)/);
  t.match(r.stdout, /\\?"web_port\\?" must be an int, got the string \\?"eighty\\?"/);
  t.match(r.stdout, /\\?"web_mode\\?" must be one of dev, prod, got test/);
  t.notMatch(r.stdout, /TASK \[After the role\]/, 'the failed host runs nothing more');
  t.match(recap(r.stdout).h01, { ok: 0, failed: 1 });
  const conf = await exec(lab, 'h01', 'test -e /tmp/argspec-web.conf && echo there || echo absent');
  t.equal(conf.stdout, 'absent\n', "the role's task did not run");
});

t.test('--tags of another task still runs the validation (tag always)', async (t) => {
  const r = await play('bad.yml', ['--tags', 'nothing']);
  t.equal(r.code, 2, r.stdout + r.stderr);
  t.match(r.stdout, /web_port/);
});

t.test('a variable from -e is checked too, nested options included', async (t) => {
  const r = await play('good.yml', ['-e', '{"web_users": [{"name": "bob"}, {"nick": "x"}]}']);
  t.equal(r.code, 2, r.stdout + r.stderr);
  t.match(r.stdout, /missing required option \\?"web_users\[1\]\.name\\?"/);
  t.match(r.stdout, /\\?"web_users\[1\]\.nick\\?" is not an option/);
});
