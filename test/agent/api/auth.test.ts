import t from 'tap';
import { bearerChecker, MIN_TOKEN_LENGTH } from '../../../agent/api/auth.js';

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

t.test('a token of exactly the minimum length is accepted, one shorter is refused', async (t) => {
  t.equal(MIN_TOKEN_LENGTH, 16);
  const at = 'k'.repeat(MIN_TOKEN_LENGTH);
  const check = bearerChecker(at);
  t.ok(check(`Bearer ${at}`), 'the minimum-length token passes');
  t.notOk(check(`Bearer ${at.slice(1)}`), 'one character less does not');
  t.throws(() => bearerChecker(at.slice(1)), /at least 16/, 'a token one character short is refused up front');
});
