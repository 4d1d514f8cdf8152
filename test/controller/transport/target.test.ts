import t from 'tap';
import { Secret } from '../../../controller/command.js';
import { sshTargetFromVars, userKnownHostsFiles } from '../../../controller/transport/target.js';
import type { Vars } from '../../../controller/modules/types.js';

t.test('sshTargetFromVars reads the connection variables and their defaults', async (t) => {
  const cases: [string, Vars, object][] = [
    ['defaults', {}, { host: 'pi1', address: 'pi1', port: 22, user: 'me', keyFile: undefined, password: undefined }],
    [
      'ansible_* names',
      { ansible_host: '10.0.0.5', ansible_port: 2222, ansible_user: 'pi', ansible_ssh_private_key_file: '~/.ssh/pi' },
      { address: '10.0.0.5', port: 2222, user: 'pi', keyFile: '~/.ssh/pi' },
    ],
    ['port as a string', { ansible_port: '2200' }, { port: 2200 }],
    ['older ansible_ssh_* aliases', { ansible_ssh_host: 'a', ansible_ssh_port: 23, ansible_ssh_user: 'u' }, { address: 'a', port: 23, user: 'u' }],
    ['current names win over aliases', { ansible_host: 'new', ansible_ssh_host: 'old' }, { address: 'new' }],
    ['empty values fall back', { ansible_host: '', ansible_user: null }, { address: 'pi1', user: 'me' }],
    ['private key alias', { ansible_private_key_file: '/k' }, { keyFile: '/k' }],
  ];
  for (const [name, vars, want] of cases) t.match(sshTargetFromVars('pi1', vars, 'me'), want, name);
});

t.test('passwords become Secrets, from any of their names', async (t) => {
  for (const name of ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password']) {
    const pw = sshTargetFromVars('h', { [name]: 'pwpass' }, 'me').password;
    t.ok(pw instanceof Secret, name);
    t.equal(pw?.value, 'pwpass');
    t.equal(String(pw), '***');
  }
  const s = new Secret('x');
  t.equal(sshTargetFromVars('h', { ansible_password: s }, 'me').password, s, 'a Secret stays the same Secret');
});

t.test('bad connection variables are E_SCHEMA errors naming the host', async (t) => {
  const cases: [Vars, string][] = [
    [{ ansible_port: 'ssh' }, 'ansible_port must be a port number'],
    [{ ansible_port: 0 }, 'ansible_port must be a port number'],
    [{ ansible_port: 70000 }, 'ansible_port must be a port number'],
    [{ ansible_port: 22.5 }, 'ansible_port must be a port number'],
    [{ ansible_user: ['a'] }, 'ansible_user must be a string, not a list'],
    [{ ansible_host: { a: 1 } }, 'ansible_host must be a string, not object'],
  ];
  for (const [vars, msg] of cases) {
    t.throws(() => sshTargetFromVars('pi1', vars, 'me'), { code: 'E_SCHEMA', host: 'pi1', message: new RegExp(`host pi1: ${msg}`) }, msg);
  }
});

t.test('UserKnownHostsFile in ansible_ssh_common_args / extra_args is honoured', async (t) => {
  const cases: [string, string[]][] = [
    ['-o UserKnownHostsFile=/lab/known_hosts -o StrictHostKeyChecking=yes', ['/lab/known_hosts']],
    ['-oUserKnownHostsFile=/a', ['/a']],
    ["-o 'UserKnownHostsFile /a /b'", ['/a', '/b']],
    ['-o userknownhostsfile=/a', ['/a']],
    ['-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no', []],
    ['-o ProxyJump=bastion', []],
    ['', []],
  ];
  for (const [args, want] of cases) t.same(userKnownHostsFiles(args), want, args);
  const target = sshTargetFromVars('h', { ansible_ssh_common_args: '-o UserKnownHostsFile=/x', ansible_ssh_extra_args: '-oUserKnownHostsFile=/y' }, 'me');
  t.same(target.knownHostsFiles, ['/x', '/y']);
  t.equal(sshTargetFromVars('h', {}, 'me').knownHostsFiles, undefined, 'unset: the defaults apply');
});
