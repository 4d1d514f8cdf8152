import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../../controller/cli.js';

// Through the whole runner (local connection), at -vvv with --diff: the key and token never show.
t.test('agent_credentials in a play: idempotent, and no secret in any output', { skip: process.getuid?.() !== 0 && 'needs root' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-play-creds-'));
  process.env.MUSTER_STATE_DIR = join(dir, 'state');
  writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      ansible_host: 127.0.0.1\n');
  writeFileSync(
    join(dir, 'site.yml'),
    `- hosts: all
  gather_facts: false
  tasks:
    - name: credentials
      agent_credentials:
        dir: ${join(dir, 'etc')}
        rotate_token: "{{ rotate_it }}"
      register: creds
    - debug:
        var: creds
`,
  );
  const play = async (rotate = false) => {
    let out = '';
    const code = await main(
      ['play', '-i', join(dir, 'inventory.yml'), join(dir, 'site.yml'), '-vvv', '--diff', '-e', `rotate_it=${rotate}`],
      (s) => (out += s),
      (s) => (out += s),
    );
    return { code, out };
  };
  const first = await play();
  t.equal(first.code, 0, first.out);
  t.match(first.out, /localhost\s+: ok=2\s+changed=1\s+unreachable=0\s+failed=0/);
  const token = readFileSync(join(dir, 'etc', 'token'), 'utf8').trim();
  const keyBody = readFileSync(join(dir, 'etc', 'tls.key'), 'utf8').split('\n')[1];
  const caKeyBody = readFileSync(join(dir, 'state', 'ca.key'), 'utf8').split('\n')[1];
  for (const [name, secret] of [
    ['token', token],
    ['node key', keyBody],
    ['CA key', caKeyBody],
  ])
    t.notOk(first.out.includes(secret), `no ${name} in the output`);
  t.match(first.out, /changed_files/, 'the debug output shows the result');

  const second = await play();
  t.equal(second.code, 0);
  t.match(second.out, /localhost\s+: ok=2\s+changed=0\s+unreachable=0\s+failed=0/, 'a second run changes nothing');

  const rotated = await play(true);
  t.equal(rotated.code, 0);
  t.match(rotated.out, /localhost\s+: ok=2\s+changed=1\s+/);
  const token2 = readFileSync(join(dir, 'etc', 'token'), 'utf8').trim();
  t.not(token2, token, 'rotate_token from a variable made a new token');
  t.notOk(rotated.out.includes(token2), 'the new token is not shown either');
});
