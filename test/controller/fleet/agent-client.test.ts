import t from 'tap';
import { classifyAnswer, classifyError, hostPort } from '../../../controller/fleet/agent-client.js';
import { sampleReport } from '../../agent/sample-report.js';

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

t.test('classifyAnswer', async (t) => {
  const report = JSON.stringify(sampleReport());
  t.match(classifyAnswer(200, report, W), { ok: true, report: { agentVersion: '0.1.0' } });
  t.match(classifyAnswer(401, '{}', W), { ok: false, kind: 'token', message: /refused the token \(HTTP 401\)/ });
  t.match(classifyAnswer(403, '{}', W), { ok: false, kind: 'token' });
  t.match(classifyAnswer(500, '{}', W), { ok: false, kind: 'bad-answer', message: /HTTP 500/ });
  t.match(classifyAnswer(404, '{}', W), { ok: false, kind: 'bad-answer' });
  t.match(classifyAnswer(200, '<html>', W), { ok: false, kind: 'bad-answer', message: /not JSON/ });
  t.match(classifyAnswer(200, '{"status":"ok"}', W), { ok: false, kind: 'bad-answer', message: /not an agent report/ });
  t.match(classifyAnswer(200, 'null', W), { ok: false, kind: 'bad-answer' });
});

t.test('hostPort', async (t) => {
  t.equal(hostPort('10.0.0.5', 7443), '10.0.0.5:7443');
  t.equal(hostPort('::1', 7443), '[::1]:7443');
  t.equal(hostPort('pi-1.lan', 1), 'pi-1.lan:1');
});
