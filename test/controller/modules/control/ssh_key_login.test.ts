import t from 'tap';
import { keyLoginResult, sshKeyLogin } from '../../../../controller/modules/control/ssh_key_login.js';
import { Secret } from '../../../../controller/command.js';
import { keyCandidates, type AuthCandidate } from '../../../../controller/transport/ssh-auth.js';
import { fakeContext } from './fake-context.js';

t.test('the result of a key-only login attempt', async (t) => {
  t.same(keyLoginResult('h1', undefined, {}), { changed: false, msg: 'h1 is not reached over SSH: no login to lose', data: { key_login: null } });
  t.same(keyLoginResult('h1', { ok: true, user: 'ops', via: 'key /k' }, {}), {
    changed: false,
    msg: 'a new SSH login as ops with key /k works',
    data: { key_login: true, user: 'ops', via: 'key /k' },
  });
  const refused = keyLoginResult('h1', { ok: false, user: 'ops', reason: 'authentication failed (tried: key /k)' }, { hint: 'set base_ssh_harden: false' });
  t.equal(refused.failed, true);
  t.equal(refused.changed, false);
  t.equal(
    refused.msg,
    'h1: a new SSH login as ops with a key only failed (authentication failed (tried: key /k)); what comes next would lock you out. What to do: set base_ssh_harden: false',
  );
  t.same(refused.data, { key_login: false, user: 'ops', reason: 'authentication failed (tried: key /k)' });
  t.match(keyLoginResult('h1', { ok: false, user: 'ops', reason: 'x' }, {}).msg, /What to do: add the public key you connect with/, 'a default hint');
});

t.test('the module asks the context, and takes no login from a context without one', async (t) => {
  const ctx = fakeContext();
  t.equal((await sshKeyLogin.run({}, ctx)).failed, undefined, 'no keyLogin: nothing to check');
  let asked = 0;
  ctx.keyLogin = async () => {
    asked++;
    return { ok: false, user: 'pi', reason: 'no key to offer' };
  };
  const r = await sshKeyLogin.run({ hint: 'do X' }, ctx);
  t.equal(asked, 1);
  t.equal(r.failed, true);
  t.match(r.msg, /^h1: a new SSH login as pi .*no key to offer.*What to do: do X$/);
  t.same(ctx.execs, [], 'nothing runs on the host');
});

t.test('only keys and the agent are offered for a key login', async (t) => {
  const all: AuthCandidate[] = [
    { kind: 'key', path: '/k', key: Buffer.from('k') },
    { kind: 'agent', socket: '/s' },
    { kind: 'password', password: new Secret('pw') },
  ];
  t.same(
    keyCandidates(all).map((c) => c.kind),
    ['key', 'agent'],
  );
  t.same(keyCandidates([{ kind: 'password', password: new Secret('pw') }]), []);
});
