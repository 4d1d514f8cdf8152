import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRoles, mirrorDir, parseRolesArgs, playOf, roleDir } from '../../../bench/lib/roles-args.mjs';

const ROOT = join(import.meta.dirname, '../../..');
const pinned = () => JSON.parse(readFileSync(join(ROOT, 'bench/roles/roles.json'), 'utf8'));
const role = (over: Record<string, unknown> = {}) => ({
  id: 'ntp',
  repo: 'geerlingguy/ansible-role-ntp',
  commit: 'a'.repeat(40),
  role: 'geerlingguy.ntp',
  playbook: 'ntp.yml',
  ...over,
});

t.test('options: defaults, each option, and what is refused', async (t) => {
  const d = parseRolesArgs([], '/repo');
  t.match(d, { hosts: 1, only: null, mirrors: '/work/.mirror', keep: false, build: true, help: false });
  const o = parseRolesArgs(['--hosts', '3', '--only=ntp, users', '--work', '/tmp/w', '--keep', '--no-build'], '/repo');
  t.match(o, { hosts: 3, only: ['ntp', 'users'], work: '/tmp/w', keep: true, build: false });
  t.throws(() => parseRolesArgs(['--hosts', '0'], '/repo'), /--hosts takes a positive integer/);
  t.throws(() => parseRolesArgs(['--only'], '/repo'), /--only takes a value/);
  t.throws(() => parseRolesArgs(['--work', '/repo'], '/repo'), /would be emptied/);
  t.throws(() => parseRolesArgs(['--fast'], '/repo'), /unknown option --fast/);
});

t.test('checkRoles accepts a sound list and names what is wrong in a bad one', async (t) => {
  t.equal(checkRoles({ roles: [role()] }).length, 1);
  t.throws(() => checkRoles({ roles: [] }), /non-empty list/);
  t.throws(() => checkRoles({ roles: [role({ id: 'Bad Id' })] }), /"id" must be/);
  t.throws(() => checkRoles({ roles: [role(), role()] }), /appears twice/);
  t.throws(() => checkRoles({ roles: [role({ repo: 'nope' })] }), /owner\/name/);
  t.throws(() => checkRoles({ roles: [role({ commit: 'a'.repeat(39) })] }), /40 hex digits/);
  t.throws(() => checkRoles({ roles: [role({ commit: 'A'.repeat(40) })] }), /40 hex digits/);
  t.throws(() => checkRoles({ roles: [role({ role: '' })] }), /"role"/);
  t.throws(() => checkRoles({ roles: [role({ playbook: 'ntp.yaml.txt' })] }), /"playbook"/);
});

t.test('--only keeps the file order and refuses an unknown id', async (t) => {
  const roles = { roles: [role({ id: 'a' }), role({ id: 'b' }), role({ id: 'c' })] };
  t.same(
    checkRoles(roles, ['c', 'a']).map((r) => r.id),
    ['a', 'c'],
  );
  t.throws(() => checkRoles(roles, ['a', 'z']), /no role z \(known: a, b, c\)/);
});

t.test('the pinned roles: five, each with a playbook carrying exactly its recorded vars', async (t) => {
  const roles = checkRoles(pinned());
  t.same(
    roles.map((r) => r.id),
    ['users', 'security', 'ntp', 'docker', 'firewall'],
  );
  for (const r of roles) {
    const play = playOf(readFileSync(join(ROOT, 'bench/roles', r.playbook), 'utf8'));
    t.same(play.vars, r.vars ?? {}, `${r.playbook}: vars`);
    t.same(play.roles, [r.role], `${r.playbook}: role`);
    t.same(play.params, r.params ?? {}, `${r.playbook}: role parameters`);
  }
  t.ok(
    roles.filter((r) => r.id === 'docker' || r.id === 'firewall').every((r) => r.docker),
    'docker and firewall need Docker-capable hosts',
  );
});

t.test('playOf reads the first play; paths', async (t) => {
  t.same(playOf('- hosts: all\n  vars: {a: 1}\n  roles: [x, {role: y}]\n'), { vars: { a: 1 }, roles: ['x', 'y'], params: {} });
  t.same(playOf('- hosts: all\n  roles: [{role: y, b: [2]}]\n'), { vars: {}, roles: ['y'], params: { b: [2] } });
  t.same(playOf('- hosts: all\n'), { vars: {}, roles: [], params: {} });
  t.throws(() => playOf('a: 1\n'), /no play/);
  t.equal(roleDir('/w', { role: 'geerlingguy.ntp' }), '/w/roles/geerlingguy.ntp');
  t.equal(mirrorDir('/m', 'geerlingguy/ansible-role-ntp'), '/m/geerlingguy+ansible-role-ntp/repo');
});
