/** A task whose Ansible module muster lacks fails only on a host that reaches it. */
import t from 'tap';
import { runLocal } from './harness.js';

const inventory = 'all:\n  hosts:\n    h1: {ansible_connection: local}\n    h2: {ansible_connection: local}\n';

t.test('skipped by when: never fails; reached: fails naming the module', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: rpm hosts only',
      '      dnf: name=httpd',
      '      when: inventory_hostname == "h2"',
      '    - name: after',
      '      command: "true"',
      '',
    ].join('\n'),
  });
  const { summary, events } = await runLocal(dir);
  const results = events.filter((e) => e.type === 'result') as { host: string; status: string; msg?: string }[];
  t.same(
    results.map((r) => [r.host, r.status]),
    [
      ['h1', 'skipped'],
      ['h2', 'failed'],
      ['h1', 'changed'],
    ],
  );
  t.match(results[1].msg, /module dnf \(ansible\.builtin\.dnf\) is not implemented by muster/);
  t.same(summary.failed, ['h2']);
});

t.test('in check mode too, and with a loop each item fails the same way', async (t) => {
  const dir = t.testdir({
    'inv.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n',
    'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - community.general.zfs: {name: "{{ item }}", state: present}\n      loop: [a, b]\n',
  });
  const { events } = await runLocal(dir, { check: true });
  const items = events.filter((e) => e.type === 'result' && e.item !== undefined) as { status: string; msg?: string }[];
  t.same(
    items.map((i) => i.status),
    ['failed', 'failed'],
  );
  t.match(items[0].msg, /module community\.general\.zfs is not implemented by muster/);
});
