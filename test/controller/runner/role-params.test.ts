/**
 * Role parameters and the role magic names, end to end on the local transport, checked against what
 * ansible-playbook 2.14 prints for the same playbooks: role parameters (20) outrank include_vars (18),
 * set_fact (19) and task vars (17), extra vars (22) outrank them; a roles: entry's vars: are role vars (15).
 */
import t, { type Test } from 'tap';
import { main } from '../../../controller/cli.js';

const inventory = 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n';

async function play(t: Test, files: Record<string, unknown>, extra: string[] = []): Promise<{ code: number; out: string }> {
  const dir = t.testdir({ 'inventory.yml': inventory, ...files });
  let out = '';
  const code = await main(
    ['play', '-i', `${dir}/inventory.yml`, `${dir}/site.yml`, ...extra],
    (s) => (out += s),
    (s) => (out += s),
  );
  return { code, out };
}

const ok = (n: number) => new RegExp(`localhost\\s+: ok=${n}\\s+changed=0\\s+unreachable=0\\s+failed=0`);

t.test('a role parameter outranks task vars, include_vars and set_fact, not extra vars', async (t) => {
  const files = {
    roles: {
      r: {
        'iv.yml': 'p: include_vars\nq: include_vars\n',
        tasks: {
          'main.yml': [
            '- set_fact: {p: set_fact, s: set_fact}',
            '- include_vars: iv.yml',
            '- assert:',
            '    that: [p == "param", q == "include_vars", s == "set_fact", t == "param", x == "extra"]',
            '  vars: {t: task, x: task}',
            '',
          ].join('\n'),
        },
      },
    },
    'site.yml': '- hosts: all\n  gather_facts: false\n  vars: {p: play}\n  roles:\n    - {role: r, p: param, t: param, x: param}\n',
  };
  const { code, out } = await play(t, files, ['-e', 'x=extra']);
  t.equal(code, 0, out);
  t.match(out, ok(3));
});

t.test("a roles: entry's vars: are role vars: over play vars, under set_fact, under the role's vars/main.yml", async (t) => {
  const files = {
    roles: {
      r: {
        vars: { 'main.yml': 'w: role_vars\n' },
        tasks: {
          'main.yml': ['- assert: {that: [v == "entry_vars", w == "role_vars"]}', '- set_fact: {v: set_fact}', '- assert: {that: [v == "set_fact"]}', ''].join(
            '\n',
          ),
        },
      },
    },
    'site.yml': '- hosts: all\n  gather_facts: false\n  vars: {v: play, w: play}\n  roles:\n    - {role: r, vars: {v: entry_vars, w: entry_vars}}\n',
  };
  const { code, out } = await play(t, files);
  t.equal(code, 0, out);
  t.match(out, ok(3));
});

t.test('a dependency sees the parameters of the role depending on it, under its own; they end with the role', async (t) => {
  const files = {
    roles: {
      d: { tasks: { 'main.yml': '- assert: {that: [a == "from_r", b == "from_d"]}\n' } },
      r: {
        meta: { 'main.yml': 'dependencies:\n  - {role: d, b: from_d}\n' },
        tasks: { 'main.yml': '- assert: {that: [a == "from_r", b == "from_r"]}\n' },
      },
    },
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  roles:',
      '    - {role: r, a: from_r, b: from_r}',
      '  tasks:',
      '    - assert: {that: [a is undefined, b is undefined]}',
      '',
    ].join('\n'),
  };
  const { code, out } = await play(t, files);
  t.equal(code, 0, out);
  t.match(out, ok(3));
});

t.test('role magic names: role_name, role_path, the play and dependency lists, the parent of an imported role', async (t) => {
  const files = {
    roles: {
      d: {
        tasks: {
          'main.yml': [
            '- assert:',
            '    that:',
            '      - role_name == "d"',
            '      - ansible_role_name == "d"',
            '      - role_path is match(".*/roles/d$")',
            '      - ansible_collection_name is none',
            '      - ansible_play_role_names == ["r", "d"]',
            '      - role_names == ["r", "d"]',
            '      - ansible_role_names | sort == ["d", "r"]',
            '      - ansible_dependent_role_names == ["d"]',
            '',
          ].join('\n'),
        },
      },
      r: {
        meta: { 'main.yml': 'dependencies: [d]\n' },
        tasks: {
          'main.yml': ['- assert: {that: [role_name == "r", ansible_parent_role_names is undefined]}', '- import_role: {name: d, tasks_from: inner}', ''].join(
            '\n',
          ),
        },
      },
    },
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  roles: [r]',
      '  tasks:',
      '    - assert:',
      '        that: [role_name is undefined, role_path is undefined, \'ansible_play_role_names == ["r", "d"]\']',
      '',
    ].join('\n'),
  };
  (files.roles.d.tasks as Record<string, string>)['inner.yml'] =
    '- assert:\n    that:\n      - role_name == "d"\n      - ansible_parent_role_names == ["r"]\n      - ansible_parent_role_paths[0] is match(".*/roles/r$")\n';
  const { code, out } = await play(t, files);
  t.equal(code, 0, out);
  t.match(out, ok(4));
});

t.test("include_role's vars outrank set_fact (include parameters); import_role's do not", async (t) => {
  const files = {
    roles: { r: { tasks: { 'main.yml': '- debug: msg="{{ v }}"\n  register: seen\n' } } },
  };
  const site = (key: string) =>
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - set_fact: {v: set_fact}',
      `    - ${key}: {name: r}`,
      '      vars: {v: given}',
      '    - assert: {that: [seen.msg == expected]}',
      '',
    ].join('\n');
  const inc = await play(t, { ...files, 'site.yml': site('include_role') }, ['-e', '{"expected": "given"}']);
  t.equal(inc.code, 0, `include_role: the include's vars win\n${inc.out}`);
  const imp = await play(t, { ...files, 'site.yml': site('import_role') }, ['-e', '{"expected": "set_fact"}']);
  t.equal(imp.code, 0, `import_role: set_fact wins\n${imp.out}`);
});
