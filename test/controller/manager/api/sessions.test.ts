import t from 'tap';
import { cookieValue, FailureLimit, MAX_SESSIONS, sessionCookie, Sessions } from '../../../../controller/manager/api/sessions.js';

t.test('cookieValue finds one cookie among others', async (t) => {
  t.equal(cookieValue('a=1; muster_session=abc; b=2', 'muster_session'), 'abc');
  t.equal(cookieValue('muster_session_x=abc', 'muster_session'), undefined, 'not a longer name');
  t.equal(cookieValue('xmuster_session=abc', 'muster_session'), undefined);
  t.equal(cookieValue(undefined, 'muster_session'), undefined);
  t.equal(cookieValue('=x; muster_session = v ', 'muster_session'), 'v');
});

t.test('sessionCookie sets and clears', async (t) => {
  t.equal(sessionCookie('id', 60), 'muster_session=id; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Strict');
  t.equal(sessionCookie(undefined, 60), 'muster_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict');
});

t.test('sessions live their time, close, and the oldest goes past the cap', async (t) => {
  let now = 0;
  const s = new Sessions(() => now, 1000);
  const a = s.open();
  t.equal(a.expiresMs, 1000);
  t.ok(s.valid(a.id));
  t.notOk(s.valid(`${a.id.slice(0, -1)}${a.id.endsWith('A') ? 'B' : 'A'}`), 'one character off');
  now = 999;
  t.ok(s.valid(a.id));
  now = 1000;
  t.notOk(s.valid(a.id), 'expired at its end');
  t.equal(s.size, 0);
  const b = s.open();
  s.close(b.id);
  t.notOk(s.valid(b.id), 'closed');
  const first = s.open();
  for (let i = 1; i < MAX_SESSIONS; i++) s.open();
  t.equal(s.size, MAX_SESSIONS);
  t.ok(s.valid(first.id), 'at the cap the first is still there');
  s.open();
  t.equal(s.size, MAX_SESSIONS);
  t.notOk(s.valid(first.id), 'one past the cap pushes the oldest out');
});

t.test('the failure limit: the limit-th failure closes the door until the window ends', async (t) => {
  let now = 0;
  const l = new FailureLimit(() => now, 3, 10_000);
  l.failed('a');
  l.failed('a');
  t.equal(l.waitS('a'), 0, 'two of three');
  l.failed('a');
  t.equal(l.waitS('a'), 10);
  t.equal(l.waitS('b'), 0, 'per address');
  now = 9_001;
  t.equal(l.waitS('a'), 1);
  now = 10_000;
  t.equal(l.waitS('a'), 0, 'open again when the window ends');
  l.failed('a');
  t.equal(l.waitS('a'), 0, 'a new window counts from one');
});
