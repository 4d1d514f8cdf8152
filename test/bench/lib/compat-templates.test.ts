import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ansibleRenders,
  compareRenders,
  factVars,
  firstDifference,
  roleVarFiles,
  rolesWithTemplates,
  templateJobs,
} from '../../../bench/lib/compat-templates.mjs';

t.test('facts as a play sees them', async (t) => {
  const v = factVars({ ansible_facts: { ansible_os_family: 'Debian', ansible_memtotal_mb: 512 } });
  t.equal(v.ansible_os_family, 'Debian');
  t.same(v.ansible_facts, { os_family: 'Debian', memtotal_mb: 512 });
});

t.test('the first differing line', async (t) => {
  t.equal(firstDifference('a\nb\n', 'a\nc\n'), 'line 2: want "b" got "c"');
  t.equal(firstDifference('a\n', 'a'), 'line 2: want "" got "<end>"');
});

// a role on disk: defaults, Debian vars, two templates (one needs a variable no file defines)
const root = mkdtempSync(join(tmpdir(), 'compat-templates-'));
const role = join(root, 'roles', 'web');
for (const d of ['defaults', 'vars', 'templates/sub', 'molecule/templates']) mkdirSync(join(role, d), { recursive: true });
writeFileSync(join(role, 'defaults/main.yml'), 'port: 80\nenabled: yes\n');
writeFileSync(join(role, 'vars/Debian.yml'), 'port: 8080\n');
writeFileSync(join(role, 'templates/site.conf.j2'), 'listen {{ port }} {{ enabled }}\n{% for x in [1, 2] %}{{ x }}{% endfor %}\n');
writeFileSync(join(role, 'templates/sub/need.j2'), '{{ set_by_a_task }}\n');
writeFileSync(join(role, 'molecule/templates/skip.j2'), 'not a role template\n');

t.test('roles and their variable files are found', async (t) => {
  t.same(rolesWithTemplates(root), [role]);
  t.same(roleVarFiles(role), [join(role, 'defaults/main.yml'), join(role, 'vars/Debian.yml')]);
});

t.test('Ansible renders, and the comparison counts both sides', async (t) => {
  const jobs = templateJobs([{ name: 'demo', dir: root }], {});
  t.same(
    jobs.map((j) => j.id),
    ['demo:roles/web/templates/site.conf.j2', 'demo:roles/web/templates/sub/need.j2'],
  );
  t.equal(jobs[0].vars.port, 8080, 'vars/Debian.yml wins over defaults, loaded by Ansible');
  t.equal(jobs[0].vars.enabled, true, 'YAML 1.1 yes is a boolean');
  const ansible = ansibleRenders(jobs);
  t.same(ansible.get(jobs[0].id), { id: jobs[0].id, ok: true, out: 'listen 8080 True\n12\n' });
  t.equal(ansible.get(jobs[1].id)?.ok, false, 'an undefined variable fails in Ansible too');
  const right = compareRenders(jobs, ansible, () => 'listen 8080 True\n12\n');
  t.match(right, { total: 2, rendered: 1, identical: 1, errors: 0, differs: 0 });
  const wrong = compareRenders(jobs, ansible, () => 'listen 8080 true\n12\n');
  t.match(wrong, { identical: 0, differs: 1 });
  t.match(wrong.rows[0].why, /line 1: want "listen 8080 True" got "listen 8080 true"/);
  const failing = compareRenders(jobs, ansible, () => {
    throw new Error('boom\nmore');
  });
  t.match(failing, { identical: 0, errors: 1 });
  t.equal(failing.rows[0].why, 'boom');
});
