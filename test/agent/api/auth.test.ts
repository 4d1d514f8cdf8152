import t from 'tap';
import { bearerChecker } from '../../../agent/api/auth.js';

t.test('bearer token check', async (t) => {
  const token = 'a-long-enough-token-123';
  const check = bearerChecker(token);
  const rows: [string | undefined, boolean][] = [
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`BEARER \t${token} `, true],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(1)}`, false],
    [`Bearer  `, false],
    [`Bearer`, false],
    [token, false],
    [`Token ${token}`, false],
    [`Bearer ${token} extra`, false],
    ['', false],
    [undefined, false],
  ];
  for (const [header, want] of rows) t.equal(check(header), want, JSON.stringify(header));
  t.throws(() => bearerChecker('short'), /at least 16/, 'a short token is refused up front');
});
