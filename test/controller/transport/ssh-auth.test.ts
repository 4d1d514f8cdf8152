import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Secret } from '../../../controller/command.js';
import { expandHome } from '../../../controller/transport/home.js';
import { authCandidates } from '../../../controller/transport/ssh-auth.js';

function home(keys: string[]): string {
  const h = mkdtempSync(join(tmpdir(), 'muster-home-'));
  mkdirSync(join(h, '.ssh'));
  for (const k of keys) writeFileSync(join(h, '.ssh', k), `key ${k}`);
  return h;
}
const base = { host: 'h', address: 'h', port: 22, user: 'u' };
const summary = (cs: Awaited<ReturnType<typeof authCandidates>>) =>
  cs.map((c) => (c.kind === 'key' ? `key:${c.path.replace(/.*\/\.ssh\//, '~/.ssh/')}` : c.kind === 'agent' ? `agent:${c.socket}` : 'password'));

t.test('expandHome expands ~ and ~/ only', async (t) => {
  t.equal(expandHome('~', '/home/me'), '/home/me');
  t.equal(expandHome('~/.ssh/id', '/home/me'), '/home/me/.ssh/id');
  t.equal(expandHome('~other/x', '/home/me'), '~other/x');
  t.equal(expandHome('/abs/~', '/home/me'), '/abs/~');
});

t.test('agent, then the default keys that exist (OpenSSH order), then password', async (t) => {
  const h = home(['id_rsa', 'id_ed25519']);
  const cs = await authCandidates({ ...base, password: new Secret('pw') }, { SSH_AUTH_SOCK: '/run/agent' }, h);
  t.same(summary(cs), ['agent:/run/agent', 'key:~/.ssh/id_ed25519', 'key:~/.ssh/id_rsa', 'password']);
  const first = cs[1];
  t.same(first.kind === 'key' && first.key, Buffer.from('key id_ed25519'), 'the key file is read');
});

t.test('an explicit key replaces the defaults and is tried first', async (t) => {
  const h = home(['id_ed25519', 'lab']);
  const cs = await authCandidates({ ...base, keyFile: '~/.ssh/lab' }, { SSH_AUTH_SOCK: '/run/agent' }, h);
  t.same(summary(cs), ['key:~/.ssh/lab', 'agent:/run/agent']);
});

t.test('nothing at all is an empty list (the connect error then says so)', async (t) => {
  t.same(await authCandidates(base, {}, home([])), []);
});

t.test('an explicit key that does not exist is E_UNREACHABLE with a hint', async (t) => {
  await t.rejects(authCandidates({ ...base, keyFile: '~/.ssh/nope' }, {}, home([])), {
    code: 'E_UNREACHABLE',
    host: 'h',
    message: /cannot read the SSH key .*\/\.ssh\/nope: no such file/,
    hint: /ansible_ssh_private_key_file/,
  });
});
