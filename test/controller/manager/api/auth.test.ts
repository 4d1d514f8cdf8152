import t from 'tap';
import { SESSION_TTL_MS } from '../../../../controller/manager/api/sessions.js';
import { AUTH, login, makeApi, TOKEN } from './harness.js';

t.test('the API wants the token; health does not', async (t) => {
  const { app } = makeApi();
  const none = await app.inject({ url: '/v1/nodes' });
  t.equal(none.statusCode, 401);
  t.match(none.headers['www-authenticate'], /^Bearer realm="muster-manager"/);
  t.equal(none.json().error.code, 'E_AUTH');
  const wrong = await app.inject({ url: '/v1/nodes', headers: { authorization: `Bearer ${TOKEN}x` } });
  const short = await app.inject({ url: '/v1/nodes', headers: { authorization: 'Bearer a' } });
  t.equal(wrong.statusCode, 401);
  t.same(wrong.json(), short.json(), 'the same answer whatever the guess');
  t.same(wrong.json(), none.json(), 'and the same as with no token');
  t.equal((await app.inject({ url: '/v1/nodes', headers: AUTH })).statusCode, 200);
  t.same((await app.inject({ url: '/v1/health' })).json(), { status: 'ok' });
  t.notMatch(JSON.stringify(wrong.headers) + wrong.body, TOKEN, 'the token is never echoed');
});

t.test('metrics want the token too (Prometheus sends it as a bearer token)', async (t) => {
  const { app } = makeApi();
  t.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
  const res = await app.inject({ url: '/metrics', headers: AUTH });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  t.match(res.body, /muster_manager_nodes\{state="up"\} 3/);
});

t.test('login sets a strict session cookie that works until logout', async (t) => {
  const { app } = makeApi();
  const res = await app.inject({ method: 'POST', url: '/v1/login', payload: { token: TOKEN } });
  t.equal(res.statusCode, 200);
  const cookie = String(res.headers['set-cookie']);
  for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', `Max-Age=${SESSION_TTL_MS / 1000}`]) t.ok(cookie.includes(attr), attr);
  t.match(cookie, /^muster_session=[A-Za-z0-9_-]{43};/);
  t.notMatch(cookie, TOKEN);
  const session = cookie.split(';')[0];
  t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie: session } })).statusCode, 200, 'the cookie opens the API');
  t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie: `other=1; ${session}` } })).statusCode, 200, 'among other cookies');
  const out = await app.inject({ method: 'POST', url: '/v1/logout', headers: { cookie: session } });
  t.equal(out.statusCode, 204);
  t.match(String(out.headers['set-cookie']), /^muster_session=; .*Max-Age=0/);
  t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie: session } })).statusCode, 401, 'not after logout');
});

t.test('a wrong token at login gets the same 401 as any other', async (t) => {
  const { app } = makeApi();
  const a = await app.inject({ method: 'POST', url: '/v1/login', payload: { token: 'nope' } });
  const b = await app.inject({ method: 'POST', url: '/v1/login', payload: { token: `${TOKEN.slice(0, -1)}X` } });
  t.equal(a.statusCode, 401);
  t.same(a.json(), b.json());
  t.notOk(a.headers['set-cookie'], 'no cookie');
  const bad = await app.inject({ method: 'POST', url: '/v1/login', payload: { password: TOKEN } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().error.field, 'token');
});

t.test('a session expires: at its end minus 1 ms it works, at its end not', async (t) => {
  const { app, clock } = makeApi();
  const session = await login(app);
  clock.ms += SESSION_TTL_MS - 1;
  t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie: session } })).statusCode, 200);
  clock.ms += 1;
  t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie: session } })).statusCode, 401);
});

t.test('made-up session ids are refused', async (t) => {
  const { app } = makeApi();
  for (const id of ['x', 'A'.repeat(43), '../../etc', '']) {
    t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie: `muster_session=${id}` } })).statusCode, 401, JSON.stringify(id));
  }
});

t.test('wrong credentials past the limit get 429 for the rest of the minute, even the right one', async (t) => {
  const { app, clock } = makeApi({ failureLimit: 3 });
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: '/v1/nodes', headers: { authorization: 'Bearer wrong-token-000000000' } })).statusCode, 401);
  const limited = await app.inject({ url: '/v1/nodes', headers: AUTH });
  t.equal(limited.statusCode, 429);
  t.equal(limited.headers['retry-after'], '60');
  t.equal((await app.inject({ method: 'POST', url: '/v1/login', payload: { token: TOKEN } })).statusCode, 429, 'login too');
  t.equal((await app.inject({ url: '/v1/health' })).statusCode, 200, 'health stays open');
  clock.ms += 60_000;
  t.equal((await app.inject({ url: '/v1/nodes', headers: AUTH })).statusCode, 200, 'a minute later');
});

t.test('missing credentials are not counted as guesses', async (t) => {
  const { app } = makeApi({ failureLimit: 2 });
  for (let i = 0; i < 5; i++) await app.inject({ url: '/v1/nodes' });
  t.equal((await app.inject({ url: '/v1/nodes', headers: AUTH })).statusCode, 200);
});

t.test('a wrong token waits before its 401', async (t) => {
  const { app } = makeApi({ failureDelayMs: 60 });
  const start = Date.now();
  await app.inject({ url: '/v1/nodes', headers: { authorization: 'Bearer wrong-token-000000000' } });
  t.ok(Date.now() - start >= 55, 'delayed');
  const ok = Date.now();
  await app.inject({ url: '/v1/nodes', headers: AUTH });
  t.ok(Date.now() - ok < 55, 'the right one is not');
});

t.test('a session cannot act from another site; the same site can', async (t) => {
  const { app } = makeApi();
  const cookie = await login(app);
  const drain = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/v1/nodes/nuc1/availability', payload: { availability: 'pause' }, headers: { cookie, ...headers } });
  t.equal((await drain({ 'sec-fetch-site': 'cross-site' })).statusCode, 403);
  t.equal((await drain({ origin: 'https://evil.example', host: 'manager:7390' })).statusCode, 403);
  t.equal((await drain({ 'sec-fetch-site': 'same-origin' })).statusCode, 202);
  t.equal((await drain({ origin: 'https://manager:7390', host: 'manager:7390' })).statusCode, 202);
  t.equal((await app.inject({ url: '/v1/nodes', headers: { cookie, 'sec-fetch-site': 'cross-site' } })).statusCode, 200, 'reads are fine');
});
