import t from 'tap';
import { bearerChecker, MIN_TOKEN_LENGTH, tokenChecker } from '../../shared/bearer.js';

const token = 'a-long-enough-token-123';

t.test('the bearer check takes the scheme in any case and the exact token only', async (t) => {
  const check = bearerChecker(token);
  const rows: [string | undefined, boolean][] = [
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`BEARER \t${token} `, true],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(1)}`, false],
    ['Bearer  ', false],
    ['Bearer', false],
    [token, false],
    [`Token ${token}`, false],
    [`Bearer ${token} extra`, false],
    ['', false],
    [undefined, false],
  ];
  for (const [header, want] of rows) t.equal(check(header), want, JSON.stringify(header));
});

t.test('the token check compares a bare token (the login form sends one)', async (t) => {
  const check = tokenChecker(token);
  t.ok(check(token), 'the token');
  t.notOk(check(`${token} `), 'with a trailing space');
  t.notOk(check(token.slice(0, -1)), 'a prefix');
  t.notOk(check(''), 'empty');
  t.notOk(check(undefined), 'absent');
});

t.test('a token of exactly the minimum length is accepted, one shorter is refused up front', async (t) => {
  t.equal(MIN_TOKEN_LENGTH, 16);
  const at = 'k'.repeat(MIN_TOKEN_LENGTH);
  t.ok(bearerChecker(at)(`Bearer ${at}`));
  t.ok(tokenChecker(at)(at));
  t.throws(() => bearerChecker(at.slice(1)), /at least 16/);
  t.throws(() => tokenChecker(at.slice(1)), /at least 16/);
});
