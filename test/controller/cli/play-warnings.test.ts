/** `muster play --syntax-check` lists modules muster lacks as warnings and passes; a typo still fails. */
import { join } from 'node:path';
import t from 'tap';
import { muster } from './run-main.js';

async function syntaxCheck(dir: string) {
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const r = await muster('play', '-i', join(dir, 'hosts.yml'), '--syntax-check', join(dir, 'site.yml'));
    return { ...r, err };
  } finally {
    process.stderr.write = write;
  }
}

const head = '- hosts: all\n  gather_facts: false\n  tasks:\n';

t.test('modules Ansible has and muster lacks: warnings, exit 0', async (t) => {
  const dir = t.testdir({
    'hosts.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n',
    'site.yml': `${head}    - dnf: name=httpd\n      when: ansible_os_family == "RedHat"\n    - community.general.zfs: {name: tank}\n    - debug: msg="{{ lookup('env', 'HOME') }} {{ item }}"\n      with_sequence: end=2\n`,
  });
  const r = await syntaxCheck(dir);
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, 'playbook: ');
  t.match(r.err, /\[WARNING\]: .*site\.yml:4:7: task "dnf": module dnf \(ansible\.builtin\.dnf\) is not implemented by muster/);
  t.match(r.err, /\[WARNING\]: .*site\.yml:6:7: task "community\.general\.zfs": module community\.general\.zfs is not implemented by muster/);
  t.equal(r.err.match(/\[WARNING\]/g)?.length, 2);
});

t.test('a short name nobody knows, or an unknown lookup, fails the check', async (t) => {
  for (const [task, want] of [
    ['    - dnff: name=x\n', /"dnff" is neither a module nor a task keyword[\s\S]*check the spelling/],
    ["    - debug: msg=\"{{ lookup('fiel', 'x') }}\"\n", /unknown lookup "fiel" \(did you mean "file"\?\)/],
    ['    - debug: msg=x\n      with_sequense: end=2\n', /"with_sequense" loops over an unknown lookup "sequense" \(did you mean "with_sequence"\?\)/],
  ] as const) {
    const dir = t.testdir({ 'hosts.yml': 'all:\n  hosts:\n    h1: {}\n', 'site.yml': `${head}${task}` });
    const r = await syntaxCheck(dir);
    t.not(r.code, 0, task);
    t.match(r.out + r.err, want);
  }
});
