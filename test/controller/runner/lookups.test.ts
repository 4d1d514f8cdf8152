/** Lookups and with_<lookup> loops in a real run on a local host: files beside the playbook, the password store. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SecretStore } from '../../../controller/runner/state.js';
import { runLocal } from './harness.js';

const inventory = 'all:\n  hosts:\n    h1: {ansible_connection: local}\n';

async function play(t: Test, tasks: string, files: Record<string, unknown> = {}) {
  const dir = t.testdir({ 'inv.yml': inventory, 'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`, ...files });
  const secrets = new SecretStore();
  const { summary, events } = await runLocal(dir, {}, { secrets });
  const failed = events.filter((e) => e.type === 'result' && e.status === 'failed').map((e) => JSON.stringify(e));
  return { summary, events, dir, failed, secrets };
}

const check = (that: string[]) => `    - name: check\n      assert:\n        that:\n${that.map((c) => `          - ${JSON.stringify(c)}\n`).join('')}`;

t.test('with_<lookup> loops: items = lookup(name, terms, wantlist=True)', async (t) => {
  const r = await play(
    t,
    [
      '    - set_fact: {users: [{name: ann, keys: [k1, k2]}, {name: bob, keys: [k3]}], ports: {http: 80, https: 443}}',
      '    - {debug: {msg: x}, register: dict, with_dict: "{{ ports }}"}',
      '    - {debug: {msg: x}, register: seq, with_sequence: start=1 end=3 format=web%02d}',
      '    - {debug: {msg: x}, register: sub, with_subelements: ["{{ users }}", keys]}',
      '    - {debug: {msg: x}, register: zip, with_together: [[1, 2], [a, b]]}',
      '    - {debug: {msg: x}, register: nest, with_nested: [[x, y], [1, 2]]}',
      '    - {debug: {msg: x}, register: idx, with_indexed_items: [a, b, c]}',
      '    - {debug: {msg: x}, register: glob, with_fileglob: "conf.d/*.conf"}',
      '    - {debug: {msg: x}, register: file, with_file: [conf.d/a.conf, conf.d/b.conf]}',
      '    - {debug: {msg: x}, register: ff, with_first_found: [{files: [RedHat.yml, Debian.yml], paths: [vars]}]}',
      '    - {debug: {msg: x}, register: lines, with_lines: printf "one\\ntwo\\n"}',
      '    - {debug: {msg: x}, register: tpl, with_template: motd.j2}',
      '    - {debug: {msg: x}, register: rand, with_random_choice: [only]}',
      '    - {debug: {msg: x}, register: empty, with_fileglob: "conf.d/*.none"}',
      check([
        "dict.results | map(attribute='item') | list == [{'key': 'http', 'value': 80}, {'key': 'https', 'value': 443}]",
        "seq.results | map(attribute='item') | list == ['web01', 'web02', 'web03']",
        "sub.results | map(attribute='item') | list == [[{'name': 'ann'}, 'k1'], [{'name': 'ann'}, 'k2'], [{'name': 'bob'}, 'k3']]",
        "zip.results | map(attribute='item') | list == [[1, 'a'], [2, 'b']]",
        "nest.results | map(attribute='item') | list == [['x', 1], ['x', 2], ['y', 1], ['y', 2]]",
        "idx.results | map(attribute='item') | list == [[0, 'a'], [1, 'b'], [2, 'c']]",
        "glob.results | map(attribute='item') | list | map('basename') | list == ['a.conf', 'b.conf']",
        "file.results | map(attribute='item') | list == ['A', 'B']",
        "ff.results[0].item is match('.*/vars/Debian.yml$')",
        "lines.results | map(attribute='item') | list == ['one', 'two']",
        "tpl.results | map(attribute='item') | list == ['host h1\\n']",
        "rand.results | map(attribute='item') | list == ['only']",
        'empty.skipped',
      ]),
    ].join('\n'),
    {
      files: { 'conf.d': { 'a.conf': 'A\n', 'b.conf': 'B\n', 'c.txt': 'C' } },
      vars: { 'Debian.yml': 'x: 1\n' },
      templates: { 'motd.j2': 'host {{ inventory_hostname }}\n' },
    },
  );
  t.same(r.failed, []);
  t.same(r.summary.failed, []);
});

t.test('lookup() in arguments and conditions; a password is stored once, 0600, and is masked', async (t) => {
  const r = await play(
    t,
    [
      '    - set_fact:',
      "        motd: \"{{ lookup('file', 'motd.txt') }}\"",
      "        home: \"{{ lookup('env', 'HOME') }}\"",
      "        piped: \"{{ lookup('pipe', 'echo piped') }}\"",
      "        pw: \"{{ lookup('password', 'creds/db length=12 chars=ascii_letters') }}\"",
      "      when: query('fileglob', '*.txt') | length == 1",
      "    - set_fact: {pw2: \"{{ lookup('password', 'creds/db') }}\"}",
      "    - {set_fact: {item_pw: '{{ item }}'}, with_password: creds/other length=8}",
      check([
        `motd == 'hello'`,
        `home == '${process.env.HOME}'`,
        "piped == 'piped'",
        'pw | length == 12',
        'pw == pw2',
        'item_pw | length == 8',
        "query('inventory_hostnames', 'all:!nope') == ['h1']",
      ]),
    ].join('\n'),
    { files: { 'motd.txt': 'hello\n' } },
  );
  t.same(r.failed, []);
  const pw = readFileSync(join(r.dir, 'creds/db'), 'utf8').trim();
  t.ok(r.secrets.values.has(pw), 'the password is masked in output');
  const stored = readFileSync(join(r.dir, 'creds/db'), 'utf8');
  t.match(stored, /^[A-Za-z]{12}\n$/);
  t.equal(statSync(join(r.dir, 'creds/db')).mode & 0o777, 0o600);
  t.equal(statSync(join(r.dir, 'creds')).mode & 0o777, 0o700);
});

t.test('a failing lookup fails the host with the lookup named; errors=ignore does not', async (t) => {
  const r = await play(
    t,
    [
      "    - debug: {msg: \"{{ lookup('file', 'missing.txt') }}\"}",
      '      ignore_errors: true',
      '      register: out',
      "    - set_fact: {quiet: \"x{{ lookup('file', 'missing.txt', errors='ignore') }}\"}",
      '    - {debug: {msg: "{{ item }}"}, with_first_found: [missing.yml], register: ff, ignore_errors: true}',
      check(['out.failed', '\'could not find the file "missing.txt"\' in out.msg', "quiet == 'x'", "'with_first_found: no file was found' in ff.msg"]),
    ].join('\n'),
  );
  t.same(
    r.failed.filter((f) => !f.includes('"ignored":true')),
    [],
  );
  t.same(r.summary.failed, []);
});
