/**
 * `muster play --list-tasks` against what ansible-playbook 2.14 printed for the same fixtures
 * (test/fixtures/listing: cases.txt, expected/ written by its generate.sh), the errors of templated hosts, and
 * --list-hosts' patterns against what it printed for each form of hosts:.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playCommand } from '../../../controller/cli/play.js';

const dir = fileURLToPath(new URL('../../fixtures/listing/', import.meta.url));
for (const k of Object.keys(process.env)) if (k.startsWith('ANSIBLE_')) delete process.env[k];
// the playbook path is printed as given, as Ansible prints it: run where the fixtures are
process.chdir(dir);

async function list(args: string[]): Promise<string> {
  let out = '';
  const code = await playCommand(['-i', join(dir, 'inventory.yml'), '--list-tasks', ...args], (s) => (out += s));
  if (code !== 0) throw new Error(`exit ${code}`);
  return out;
}

const cases = readFileSync(join(dir, 'cases.txt'), 'utf8').trim().split('\n');
cases.forEach((line, i) => {
  t.test(`--list-tasks ${line}: as ansible-playbook lists it`, async (t) => {
    const expected = readFileSync(join(dir, 'expected', `${i + 1}.txt`), 'utf8');
    t.equal(await list(line.split(' ')), expected);
  });
});

t.test('a templated hosts: whose variable is undefined is an error naming it, as in Ansible', async (t) => {
  const d = t.testdir({ 'p.yml': '- hosts: "{{ target }}"\n  tasks: []\n' });
  await t.rejects(list([join(d, 'p.yml')]), /undefined variable "target"/);
  let out = '';
  await playCommand(['-i', join(dir, 'inventory.yml'), '--list-tasks', join(d, 'p.yml'), '-e', 'target=beta'], (s) => (out += s));
  t.match(out, /play #1 \(beta\): beta\tTAGS: \[\]/, 'an unnamed play takes the rendered hosts as its name');
});

t.test('plays whose hosts: match nothing are still listed; a --limit matching nothing is refused', async (t) => {
  const d = t.testdir({ 'p.yml': '- hosts: nothere\n  tasks:\n    - debug: msg=1\n' });
  t.match(await list([join(d, 'p.yml')]), /play #1 \(nothere\): nothere\tTAGS: \[\]\n    tasks:\n      debug\tTAGS: \[\]/);
  t.match(await list([join(d, 'p.yml'), '--limit', 'alpha']), /play #1 \(nothere\)/);
  await t.rejects(list([join(d, 'p.yml'), '--limit', 'nope']), /--limit "nope" matches no host/);
});

t.test('--list-hosts prints the patterns as ansible-playbook 2.14 does: one per YAML list item, a comma string as one', async (t) => {
  // each expected line is what /usr/bin/ansible-playbook --list-hosts printed for the same hosts:
  const forms: [string, string][] = [
    ['[alpha, beta]', "['alpha', 'beta']"],
    ['alpha,beta', "['alpha,beta']"],
    ['alpha', "['alpha']"],
    ['[alpha]', "['alpha']"],
    ["['alpha,beta', web]", "['alpha,beta', 'web']"],
    ['"alpha, beta"', "['alpha, beta']"],
    ['["alpha:web", beta]', "['alpha:web', 'beta']"],
    ['["it\'s"]', '["it\'s"]'],
    ['"{{ one }}"', "['beta']"],
    ['["{{ one }}", alpha]', "['beta', 'alpha']"],
    ['"{{ both }}"', "['alpha', 'beta']"],
    ['"{{ csv }}"', "['alpha,beta']"],
  ];
  const d = t.testdir({ 'p.yml': forms.map(([hosts]) => `- hosts: ${hosts}\n  gather_facts: false\n  tasks: []\n`).join('') });
  let out = '';
  const vars = '{"one": "beta", "both": ["alpha", "beta"], "csv": "alpha,beta"}';
  const code = await playCommand(['-i', join(dir, 'inventory.yml'), '--list-hosts', '-e', vars, join(d, 'p.yml')], (s) => (out += s));
  t.equal(code, 0);
  t.same(
    out.split('\n').filter((l) => l.startsWith('    pattern: ')),
    forms.map(([, pattern]) => `    pattern: ${pattern}`),
  );
  t.match(
    out,
    /play #1 \(alpha,beta\): alpha,beta\tTAGS: \[\]\n    pattern: \['alpha', 'beta'\]\n    hosts \(2\):\n/,
    'the play line joins the list by commas',
  );
  t.match(out, /play #11 \(alpha,beta\): \['alpha', 'beta'\]\tTAGS/, 'an unnamed play whose template rendered a list is named as Python prints it');
  t.match(out, /play #12 \(alpha,beta\): alpha,beta\tTAGS/, 'one rendered to a comma string is named by it');
});
