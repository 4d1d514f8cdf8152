import t from 'tap';
import { Secret } from '../../../../controller/command.js';
import { evalExpr } from '../../../../controller/expr/index.js';
import { withLookupIO } from '../../../../controller/expr/lookups/index.js';
import { parseStored } from '../../../../controller/expr/lookups/password.js';
import { MusterError } from '../../../../shared/errors.js';
import { fakeIO } from './fake-io.js';

const where = { host: 'h1', task: 'password' };

function value(v: unknown): string {
  if (typeof v !== 'string') throw new Error(`expected text, got ${JSON.stringify(v)}`);
  return v;
}

t.test('generated once, stored at the path relative to the playbook, then read back', async (t) => {
  const io = fakeIO({});
  const vars = withLookupIO({}, io);
  const first = value(evalExpr("lookup('password', 'creds/db')", vars, where));
  t.equal(first.length, 20);
  t.match(first, /^[A-Za-z0-9.,:_-]+$/);
  t.same(io.written, [{ path: '/play/creds/db', text: `${first}\n`, mode: 0o600 }]);
  const again = value(evalExpr("lookup('password', 'creds/db length=5')", vars, where));
  t.equal(again, first, 'a stored password wins over new options');
  t.equal(io.written.length, 1, 'nothing written the second time');
  t.equal(io.secrets.length, 2, 'each value is handed to the masker');
});

t.test('length and chars, named sets or literal characters (",," is a comma)', async (t) => {
  const io = fakeIO({});
  const vars = withLookupIO({}, io);
  t.match(value(evalExpr("lookup('password', '/tmp/a length=8 chars=digits')", vars, where)), /^\d{8}$/);
  t.match(value(evalExpr("lookup('password', '/tmp/b length=6 chars=xy')", vars, where)), /^[xy]{6}$/);
  t.match(value(evalExpr("lookup('password', '/tmp/c length=4 chars=,,', length=3)", vars, where)), /^,{4}$/);
  t.match(value(evalExpr("lookup('password', '/tmp/d', length=3, chars=['ascii_uppercase'])", vars, where)), /^[A-Z]{3}$/);
});

t.test('a seed gives the same password every time', async (t) => {
  const a = value(evalExpr("lookup('password', '/dev/null seed=abc')", withLookupIO({}, fakeIO({})), where));
  const b = value(evalExpr("lookup('password', '/dev/null seed=abc')", withLookupIO({}, fakeIO({})), where));
  const c = value(evalExpr("lookup('password', '/dev/null seed=abd')", withLookupIO({}, fakeIO({})), where));
  t.equal(a, b);
  t.not(a, c);
});

t.test('/dev/null is never written', async (t) => {
  const io = fakeIO({});
  value(evalExpr("lookup('password', '/dev/null')", withLookupIO({}, io), where));
  t.same(io.written, []);
});

t.test('encrypt: a crypt hash, its salt stored beside the password', async (t) => {
  const io = fakeIO({ '/play/pw': 'Hello world!\n' });
  const vars = withLookupIO({}, io);
  const h = value(evalExpr("lookup('password', 'pw encrypt=sha512_crypt')", vars, where));
  const stored = parseStored(io.files.get('/play/pw') as string);
  t.equal(stored.password, 'Hello world!');
  t.equal(stored.salt?.length, 16);
  t.ok(h.startsWith(`$6$${stored.salt}$`));
  t.equal(value(evalExpr("lookup('password', 'pw encrypt=sha512_crypt')", vars, where)), h, 'the same hash the next time');
  io.files.set('/play/pw2', 'Hello world! salt=saltstring\n');
  t.equal(
    value(evalExpr("lookup('password', 'pw2', encrypt='sha256_crypt')", vars, where)),
    '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5',
    'the reference vector of SHA-crypt',
  );
  t.equal(value(evalExpr("lookup('password', 'pw2')", vars, where)), 'Hello world!', 'without encrypt, the plain password');
});

t.test('parseStored reads password, salt and ident', async (t) => {
  t.same(parseStored('abc\n'), { password: 'abc' });
  t.same(parseStored('a b salt=xyz ident=2b\n'), { password: 'a b', salt: 'xyz', ident: '2b' });
});

t.test('query gives one password per term, each handed over as a Secret to mask', async (t) => {
  const io = fakeIO({ '/play/a': 'Apassword\n', '/play/b': 'Bpassword\n' });
  const vars = withLookupIO({}, io);
  t.same(evalExpr("query('password', 'a', 'b')", vars, where), ['Apassword', 'Bpassword']);
  t.equal(evalExpr("lookup('password', 'a', 'b')", vars, where), 'Apassword,Bpassword');
  t.ok(io.secrets.every((s) => s instanceof Secret));
  t.same(
    io.secrets.map((s) => s.value),
    ['Apassword', 'Bpassword', 'Apassword', 'Bpassword'],
  );
  t.equal(evalExpr("lookup('password', 'a') | length", vars, where), 9, 'filters take it as text');
});

const errors: [string, RegExp][] = [
  ["lookup('password', 'creds')", /"creds" is a directory/],
  ["lookup('password', 'x size=3')", /unknown option\(s\): size/],
  ["lookup('password', 'x length=0')", /length must be a positive integer/],
  ["lookup('password', 'x encrypt=md5_crypt')", /encrypt=md5_crypt is not supported/],
  ["lookup('password', 'x chars=')", /chars gives no characters/],
];
for (const [src, re] of errors) {
  t.test(`fails: ${src}`, async (t) => {
    try {
      evalExpr(src, withLookupIO({}, fakeIO({ '/play/creds/x': 'y' })), where);
      t.fail('no error');
    } catch (e) {
      t.ok(e instanceof MusterError);
      t.match((e as Error).message, re);
    }
  });
}
