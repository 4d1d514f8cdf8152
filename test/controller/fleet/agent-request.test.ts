import t from 'tap';
import { classifyError, hostPort } from '../../../controller/fleet/agent-request.js';

const W = '10.0.0.5:7443';

t.test('classifyError', async (t) => {
  const rows: [string | undefined, string, string, RegExp][] = [
    ['ETIMEOUT', 'timeout', 'timeout', /no answer from 10\.0\.0\.5:7443 within 2s/],
    ['ECONNREFUSED', 'connect ECONNREFUSED', 'refused', /connection refused by 10\.0\.0\.5:7443/],
    ['EHOSTUNREACH', 'x', 'unreachable', /unreachable \(EHOSTUNREACH\)/],
    ['ETIMEDOUT', 'x', 'unreachable', /unreachable/],
    ['ENOTFOUND', 'x', 'unresolved', /cannot resolve/],
    ['ECONNRESET', 'socket hang up', 'reset', /closed the connection/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'tls', /TLS mismatch: .*not issued by this controller's fleet CA/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls', /not issued by this controller's fleet CA/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'x', 'tls', /fleet CA/],
    ['CERT_HAS_EXPIRED', 'x', 'tls', /CERT_HAS_EXPIRED/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "IP: 10.0.0.5 is not in the cert's list", 'tls', /does not name the address dialled/],
    ['EPROTO', 'wrong version number', 'tls', /does not speak TLS/],
    [undefined, 'something odd', 'reset', /cannot talk to 10\.0\.0\.5:7443: something odd/],
  ];
  for (const [code, message, kind, msg] of rows) {
    const f = classifyError(code, message, W, 2);
    t.equal(f.kind, kind, `${code}: kind`);
    t.match(f.message, msg, `${code}: message`);
    t.ok(f.hint.length > 10, `${code}: a hint`);
  }
  t.match(classifyError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', '', W, 2).hint, /muster play -i INVENTORY agent/);
});

t.test('hostPort', async (t) => {
  t.equal(hostPort('10.0.0.5', 7443), '10.0.0.5:7443');
  t.equal(hostPort('::1', 7443), '[::1]:7443');
  t.equal(hostPort('pi-1.lan', 1), 'pi-1.lan:1');
});
