/** Every expression and template of a playbook parses at load time: a bad one names its keyword and file:line:col. */
import { join, relative } from 'node:path';
import t, { type Test } from 'tap';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { MusterError } from '../../../shared/errors.js';
import { fakeOptions } from './fakes.js';

const play = (tasks: string, head = '') => `- hosts: all\n${head}  tasks:\n${tasks}`;

// [name, site.yml, code, message pattern, file:line:col]
const bad: [string, string, string, RegExp, string][] = [
  [
    'when',
    play('    - debug: msg=x\n      when: x ==\n'),
    'E_EXPR',
    /^invalid expression "x ==" in 'when': the expression ends too early\n {4}x ==\n {8}\^ column 5$/,
    'site.yml:4:13',
  ],
  ['when, an item of a list', play('    - debug: msg=x\n      when:\n        - a\n        - b c\n'), 'E_EXPR', /"b c" in 'when': unexpected/, 'site.yml:6:11'],
  ['changed_when', play('    - command: "true"\n      changed_when: rc = 0\n'), 'E_EXPR', /"rc = 0" in 'changed_when'/, 'site.yml:4:21'],
  ['failed_when', play('    - command: "true"\n      failed_when: "(rc"\n'), 'E_EXPR', /in 'failed_when'/, 'site.yml:4:20'],
  ['until', play('    - command: "true"\n      register: r\n      until: r.rc ==\n'), 'E_EXPR', /in 'until'/, 'site.yml:5:14'],
  [
    'when with {{ }} inside',
    play('    - debug: msg=x\n      when: a == "{{ b }}"\n'),
    'E_EXPR',
    /in 'when': conditions are expressions already/,
    'site.yml:4:13',
  ],
  ['when on a block', play('    - block:\n        - debug: msg=x\n      when: not\n'), 'E_EXPR', /in 'when'/, 'site.yml:5:13'],
  ['a module argument', play('    - debug:\n        msg: "{{ x | }}"\n'), 'E_TEMPLATE', /^invalid template in argument "msg" of debug: /, 'site.yml:4:14'],
  ['a k=v argument', play('    - debug: msg="{{ 1 + }}"\n'), 'E_TEMPLATE', /argument "msg" of debug/, 'site.yml:3:14'],
  [
    'a nested argument',
    play('    - copy:\n        dest: /x\n        content:\n          a: ["{{ (x }}"]\n'),
    'E_TEMPLATE',
    /argument "content\.a\[0\]" of copy/,
    'site.yml:6:15',
  ],
  [
    'an unclosed block in an argument',
    play('    - debug:\n        msg: "{{#if x}}y"\n'),
    'E_TEMPLATE',
    /argument "msg" of debug: invalid template/,
    'site.yml:4:14',
  ],
  ['a Jinja tag', play('    - debug:\n        msg: "{% if x == %}y{% endif %}"\n'), 'E_TEMPLATE', /argument "msg" of debug/, 'site.yml:4:14'],
  ['task vars', play('    - debug: msg=x\n      vars:\n        a: "{{ b c }}"\n'), 'E_TEMPLATE', /in 'vars' \(a\)/, 'site.yml:5:12'],
  ['play vars', play('    - debug: msg=x\n', '  vars:\n    a: "{{ [1, }}"\n'), 'E_TEMPLATE', /in 'vars' \(a\)/, 'site.yml:3:8'],
  ['loop', play('    - debug: msg=x\n      loop: "{{ xs | }}"\n'), 'E_TEMPLATE', /in 'loop'/, 'site.yml:3:7'],
  ['task name', play('    - name: "install {{ item. }}"\n      debug: msg=x\n'), 'E_TEMPLATE', /in 'name'/, 'site.yml:3:7'],
  ['delegate_to', play('    - debug: msg=x\n      delegate_to: "{{ 1 + }}"\n'), 'E_TEMPLATE', /in 'delegate_to'/, 'site.yml:3:7'],
  ['a handler', '- hosts: all\n  handlers:\n    - name: h\n      debug: msg=x\n      when: "a and"\n', 'E_EXPR', /"a and" in 'when'/, 'site.yml:5:13'],
];

// [name, site.yml]: the same places, well formed
const good: [string, string][] = [
  [
    'conditions of every kind',
    play(
      '    - command: "true"\n      register: r\n      when: [a, "b | default(1) > 0", true]\n      changed_when: false\n      failed_when: r.rc != 0 and "x" in r.stdout\n      until: r is success\n',
    ),
  ],
  ['when wrapped whole in {{ }}', play('    - debug: msg=x\n      when: "{{ a }}"\n')],
  [
    'templates in arguments, vars, loops, names',
    play(
      '    - name: "n {{ item }}"\n      debug:\n        msg: "{{ x | default(\'y\') }} {% if a %}b{% endif %} {{#each xs}}{{this}}{{/each}}"\n      loop: "{{ xs | list }}"\n      vars:\n        v: "{{ [1, 2] | length }}"\n',
      "  vars:\n    w: \"{{ lookup('env', 'HOME') }}\"\n",
    ),
  ],
  ['text that only looks like a template is left to runtime', play('    - debug: msg="a { b } c"\n')],
];

async function load(t: Test, site: string): Promise<{ dir: string; err: unknown }> {
  const dir = t.testdir({ 'site.yml': site });
  try {
    loadPlaybookWith(join(dir, 'site.yml'), fakeOptions);
    return { dir, err: undefined };
  } catch (err) {
    return { dir, err };
  }
}

t.test('malformed expressions and templates fail the load, naming the keyword and where', async (t) => {
  for (const [name, site, code, msg, at] of bad) {
    const { dir, err } = await load(t, site);
    if (!(err instanceof MusterError)) {
      t.fail(`${name}: expected a MusterError, got ${String(err)}`);
      continue;
    }
    t.equal(err.code, code, `${name}: code`);
    t.match(err.message, msg, `${name}: message`);
    t.ok(err.hint, `${name}: a hint`);
    t.equal(err.pos && `${relative(dir, err.pos.file)}:${err.pos.line}:${err.pos.col}`, at, `${name}: position`);
  }
});

t.test('well-formed ones load', async (t) => {
  for (const [name, site] of good) {
    const { err } = await load(t, site);
    t.equal(err, undefined, `${name}: ${err instanceof Error ? err.message : ''}`);
  }
});
