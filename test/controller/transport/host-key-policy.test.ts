import t, { type Test } from 'tap';
import type { MusterError } from '../../../shared/errors.js';
import { decideHostKey, type HostKeyQuestion } from '../../../controller/transport/host-key-policy.js';
import { fingerprint, parseKnownHosts } from '../../../controller/transport/known-hosts.js';
import { blob, line } from './keys.js';

const known = blob('ssh-ed25519');
const other = blob('ssh-ed25519');
const entries = parseKnownHosts(
  ['# header', line('[127.0.0.1]:2201', known), line('pi', known), line('gone', other, '@revoked')].join('\n'),
  '/home/me/.ssh/known_hosts',
);
const ask = (over: Partial<HostKeyQuestion>): HostKeyQuestion => ({
  host: 'h01',
  address: '127.0.0.1',
  port: 2201,
  key: known,
  entries,
  acceptNew: false,
  musterKnownHosts: '/home/me/.config/muster/known_hosts',
  ...over,
});

function refused(t: Test, q: HostKeyQuestion): MusterError {
  const d = decideHostKey(q);
  if (d.action !== 'refuse') throw new Error(`expected a refusal, got ${d.action}`);
  t.equal(d.error.code, 'E_HOSTKEY');
  t.equal(d.error.host, 'h01');
  return d.error;
}

t.test('a known key is accepted, with or without accept-new', async (t) => {
  t.same(decideHostKey(ask({})), { action: 'accept' });
  t.same(decideHostKey(ask({ acceptNew: true })), { action: 'accept' });
  t.same(decideHostKey(ask({ address: 'pi', port: 22 })), { action: 'accept' });
});

t.test('an unknown key is refused with its fingerprint and the --accept-new-host-keys hint', async (t) => {
  const err = refused(t, ask({ address: 'newhost', port: 22, key: other }));
  t.match(err.message, `unknown SSH host key for newhost: ssh-ed25519 key ${fingerprint(other)}`);
  t.match(err.hint, '--accept-new-host-keys');
  t.match(err.hint, '/home/me/.config/muster/known_hosts');
  t.match(err.hint, 'ssh_host_ed25519_key.pub');
});

t.test('an unknown key is recorded with accept-new, in [host]:port form off port 22', async (t) => {
  t.same(decideHostKey(ask({ address: 'newhost', port: 2202, key: other, acceptNew: true })), {
    action: 'record',
    line: `[newhost]:2202 ssh-ed25519 ${other.toString('base64')}`,
  });
  t.same(decideHostKey(ask({ address: 'newhost', port: 22, key: other, acceptNew: true })), {
    action: 'record',
    line: `newhost ssh-ed25519 ${other.toString('base64')}`,
  });
});

for (const acceptNew of [false, true]) {
  t.test(`a changed key is refused (acceptNew ${acceptNew}) with both fingerprints and file:line`, async (t) => {
    const err = refused(t, ask({ key: other, acceptNew }));
    t.match(err.message, 'has CHANGED');
    t.match(err.message, `presented ssh-ed25519 key ${fingerprint(other)}`);
    t.match(err.message, `expected ssh-ed25519 ${fingerprint(known)} at /home/me/.ssh/known_hosts:2`);
    t.match(err.hint, "ssh-keygen -R '[127.0.0.1]:2201' -f /home/me/.ssh/known_hosts");
  });
}

t.test('a revoked key is refused even with accept-new', async (t) => {
  const err = refused(t, ask({ address: 'gone', port: 22, key: other, acceptNew: true }));
  t.match(err.message, 'revoked');
  t.match(err.message, '/home/me/.ssh/known_hosts:4');
});
