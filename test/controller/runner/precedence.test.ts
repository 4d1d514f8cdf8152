/**
 * Variable precedence, end to end in one file: every layer of runner/precedence.ts defines the names of the
 * layers above it, so each name pK must come out of layer K. Runs a real play on the local transport.
 */
import t from 'tap';
import { main } from '../../../controller/cli.js';

const layers = ['role_defaults', 'group_all', 'group_web', 'host', 'play', 'vars_files', 'role_vars', 'block', 'task', 'set_fact', 'extra'];
/** `pK: name` for every K >= from (1-based). */
const defs = (from: number, name: string, indent: string) =>
  layers
    .map((_, i) => i + 1)
    .filter((k) => k >= from)
    .map((k) => `${indent}p${k}: ${name}`)
    .join('\n');

t.test('each layer wins over the ones below it', async (t) => {
  const dir = t.testdir({
    'inventory.yml': `all:\n  vars:\n${defs(2, 'group_all', '    ')}\n  children:\n    web:\n      vars:\n${defs(3, 'group_web', '        ')}\n      hosts:\n        localhost:\n          ansible_connection: local\n          ansible_system: from_host\n`,
    host_vars: { 'localhost.yml': `${defs(4, 'host', '')}\n` },
    'vars.yml': `${defs(6, 'vars_files', '')}\n`,
    roles: {
      prec: {
        defaults: { 'main.yml': `${defs(1, 'role_defaults', '')}\n` },
        vars: { 'main.yml': `${defs(7, 'role_vars', '')}\n` },
        tasks: {
          'main.yml': `- set_fact:\n${defs(10, 'set_fact', '    ')}\n- block:\n    - name: check
      vars:\n${defs(9, 'task', '        ')}
      assert:
        that:
${layers.map((l, i) => `          - p${i + 1} == "${l}"`).join('\n')}
          - ansible_system == "Linux"
          - ansible_kernel == "from_play"
  vars:\n${defs(8, 'block', '    ')}\n`,
        },
      },
    },
    'site.yml': `- hosts: web\n  gather_facts: true\n  vars:\n${defs(5, 'play', '    ')}\n    ansible_kernel: from_play\n  vars_files: [vars.yml]\n  roles: [prec]\n`,
  });
  let out = '';
  const code = await main(
    ['play', '-i', `${dir}/inventory.yml`, `${dir}/site.yml`, '-e', 'p11=extra'],
    (s) => (out += s),
    (s) => (out += s),
  );
  t.equal(code, 0, out);
  t.match(out, /localhost\s+: ok=3\s+changed=0\s+unreachable=0\s+failed=0/);
});
