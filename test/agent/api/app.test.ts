import t from 'tap';
import { join } from 'node:path';
import { loadDesired } from '../../../agent/state/desired-store.js';
import { loadAvailability } from '../../../agent/state/availability.js';
import { AUTH, TOKEN, harness, validSet } from './harness.js';
import { sampleReport } from '../sample-report.js';
import type { NodeReport } from '../../../shared/wire.js';

t.test('health needs no token and tells nothing sensitive', async (t) => {
  const { app } = harness(t.testdir());
  const res = await app.inject({ method: 'GET', url: '/v1/health' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
  t.notMatch(res.body, /pi4|Debian|version|token/i, 'no host, OS or version');
});

t.test('every other route needs the bearer token', async (t) => {
  const { app } = harness(t.testdir());
  const routes: [string, string][] = [
    ['GET', '/v1/report'],
    ['GET', '/v1/desired'],
    ['PUT', '/v1/desired'],
    ['POST', '/v1/drain'],
    ['GET', '/metrics'],
    ['GET', '/nope'],
  ];
  const badHeaders: [string, Record<string, string>][] = [
    ['no header', {}],
    ['wrong token', { authorization: 'Bearer wrong-token-0123456789abcdef' }],
    ['token prefix', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['token plus more', { authorization: `Bearer ${TOKEN}x` }],
    ['basic scheme', { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
    ['bare token', { authorization: TOKEN }],
    ['empty bearer', { authorization: 'Bearer ' }],
  ];
  for (const [method, url] of routes) {
    for (const [why, headers] of badHeaders) {
      const res = await app.inject({ method: method as 'GET', url, headers, payload: method === 'GET' ? undefined : {} });
      t.equal(res.statusCode, 401, `${method} ${url}: ${why}`);
      t.equal(res.json().error.code, 'E_AUTH');
      t.equal(res.headers['www-authenticate'], 'Bearer realm="muster-agent"');
    }
  }
  const ok = await app.inject({ method: 'GET', url: '/v1/report', headers: { authorization: `bearer   ${TOKEN}` } });
  t.equal(ok.statusCode, 200, 'scheme is case-insensitive, spaces tolerated');
});

t.test('report and metrics', async (t) => {
  const { app } = harness(t.testdir());
  const report = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  t.equal(report.statusCode, 200);
  t.match(report.json(), { node: { hostname: 'pi4-a', arch: { normalised: 'arm64' } }, containers: [{ name: 'web_api.1' }, { name: 'web_cache.1' }] });
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: AUTH });
  t.equal(metrics.statusCode, 200);
  t.equal(metrics.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  t.match(metrics.body, /^muster_container_oom_kills_total\{name="web_api.1",stack="web",service="api",replica="1"\} 2$/m);
});

t.test('desired: absent, put, get, retry, stale, persisted first', async (t) => {
  const dir = t.testdir();
  const { app, changed } = harness(dir);
  const none = await app.inject({ method: 'GET', url: '/v1/desired', headers: AUTH });
  t.equal(none.statusCode, 404);
  t.equal(none.json().error.code, 'E_NO_DESIRED');

  const put = await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: validSet(3) });
  t.equal(put.statusCode, 200);
  t.same(put.json(), { generation: 3, outcome: 'accepted' });
  t.same(await loadDesired(dir), { kind: 'ok', set: validSet(3) }, 'saved on disk when acknowledged');
  t.equal(changed.length, 1, 'the reconciler is told');

  const got = await app.inject({ method: 'GET', url: '/v1/desired', headers: AUTH });
  t.same(got.json(), validSet(3));

  const retry = await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: validSet(3) });
  t.same(retry.json(), { generation: 3, outcome: 'unchanged' }, 'a retried PUT is harmless');
  t.equal(changed.length, 1, 'no wake-up for an unchanged set');

  for (const g of [3, 2, 0]) {
    const other = { ...validSet(g), containers: [] };
    const stale = await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: other });
    t.equal(stale.statusCode, 409, `generation ${g} refused`);
    t.same(stale.json().error, { code: 'E_STALE_GENERATION', message: `generation ${g} is not newer than the current 3`, current: 3 });
  }
  t.same((await loadDesired(dir)).kind, 'ok');
  t.equal(((await loadDesired(dir)) as { set: { generation: number } }).set.generation, 3, 'the stale writes changed nothing');
});

t.test('desired: a save that fails is a 503 and changes nothing', async (t) => {
  const failing = {
    current: () => null,
    put: async () => {
      throw new Error('EROFS: read-only file system');
    },
  };
  const { app, errors, changed } = harness(t.testdir(), { store: failing });
  const res = await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: validSet(1) });
  t.equal(res.statusCode, 503);
  t.equal(res.json().error.code, 'E_STATE');
  t.notMatch(res.body, /EROFS/, 'no internals in the answer');
  t.equal(errors.length, 1, 'the owner hears about it');
  t.equal(changed.length, 0);
});

t.test('drain: availability saved and reported', async (t) => {
  const dir = t.testdir();
  const { app } = harness(dir);
  const res = await app.inject({ method: 'POST', url: '/v1/drain', headers: AUTH, payload: { available: false } });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { available: false });
  t.equal(await loadAvailability(dir), 'drain', 'on disk');
  const report = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  t.equal(report.json().node.available, false, 'reported');
  const back = await app.inject({ method: 'POST', url: '/v1/drain', headers: AUTH, payload: { available: true } });
  t.same(back.json(), { available: true });
  t.equal(await loadAvailability(join(dir)), 'active');
});

t.test('wrong methods get 405 with Allow, unknown routes 404', async (t) => {
  const { app } = harness(t.testdir());
  const rows: [string, string, number, string?][] = [
    ['DELETE', '/v1/desired', 405, 'GET, HEAD, PUT'],
    ['POST', '/v1/report', 405, 'GET, HEAD'],
    ['GET', '/v1/drain', 405, 'POST'],
    ['PUT', '/metrics?x=1', 405, 'GET, HEAD'],
    ['GET', '/v2/report', 404],
    ['GET', '/', 404],
  ];
  for (const [method, url, status, allow] of rows) {
    const res = await app.inject({ method: method as 'GET', url, headers: AUTH });
    t.equal(res.statusCode, status, `${method} ${url}`);
    if (allow) t.equal(res.headers.allow, allow);
    t.match(res.json().error.code, status === 405 ? 'E_METHOD' : 'E_NOT_FOUND');
  }
});

t.test('a report that throws is a 500 without internals, and the owner hears of it', async (t) => {
  const { app, errors } = harness(t.testdir(), {
    report: async () => {
      throw new Error('secret internal path /x/y');
    },
  });
  const res = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { error: { code: 'E_INTERNAL', message: 'the agent failed to answer; its log has the details' } });
  t.equal(errors.length, 1);
});

t.test('report: ETag on every 200, 304 without a body while it is unchanged', async (t) => {
  const { app } = harness(t.testdir());
  const first = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  t.equal(first.statusCode, 200);
  const etag = first.headers.etag as string;
  t.match(etag, /^"[A-Za-z0-9_-]{22}"$/, 'a strong, quoted tag');
  t.equal(first.headers['cache-control'], 'no-cache', 'proxies must ask again');
  t.equal(first.json().node.hostname, 'pi4-a', 'the body is the report');

  const again = await app.inject({ method: 'GET', url: '/v1/report', headers: { ...AUTH, 'if-none-match': etag } });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '', 'no body');
  t.equal(again.headers.etag, etag, 'the same tag');
  t.equal(again.headers['cache-control'], 'no-cache');
  t.notOk('content-length' in again.headers, 'no content-length');
  t.notOk('content-type' in again.headers, 'no content-type');

  const rows: [string, string, number][] = [
    ['weak form', `W/${etag}`, 304],
    ['in a list', `"old", ${etag}`, 304],
    ['star', '*', 304],
    ['another tag', '"AAAAAAAAAAAAAAAAAAAAAA"', 200],
    ['malformed', `${etag.slice(1, -1)}`, 200],
    ['empty', '', 200],
  ];
  for (const [why, header, status] of rows) {
    const res = await app.inject({ method: 'GET', url: '/v1/report', headers: { ...AUTH, 'if-none-match': header } });
    t.equal(res.statusCode, status, why);
    t.equal(res.headers.etag, etag, `${why}: the tag is sent`);
    t.equal(res.body === '', status === 304, `${why}: a body only with 200`);
  }
});

t.test('report: a changed report gets 200 and a new tag for the old one', async (t) => {
  const { app } = harness(t.testdir());
  const first = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  const old = first.headers.etag as string;
  const drain = await app.inject({ method: 'POST', url: '/v1/availability', headers: AUTH, payload: { availability: 'drain' } });
  t.equal(drain.statusCode, 200);
  const changed = await app.inject({ method: 'GET', url: '/v1/report', headers: { ...AUTH, 'if-none-match': old } });
  t.equal(changed.statusCode, 200, 'the old tag no longer matches');
  t.equal(changed.json().node.availability, 'drain', 'the new report is sent');
  const fresh = changed.headers.etag as string;
  t.not(fresh, old, 'a new tag');
  const stable = await app.inject({ method: 'GET', url: '/v1/report', headers: { ...AUTH, 'if-none-match': fresh } });
  t.equal(stable.statusCode, 304, 'the new tag matches while nothing changes');
});

t.test('report: the tag follows the report source, not the hardware age', async (t) => {
  let collectedAt = '2026-01-02T03:04:05.000Z';
  let ageS = 10;
  const { app } = harness(t.testdir(), {
    report: async () => ({ ...sampleReport(), collectedAt, hardware: { collectedAt: '2026-01-02T03:00:00.000Z', ageS } }) as NodeReport,
  });
  const first = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  const tag = first.headers.etag as string;
  ageS = 11;
  const older = await app.inject({ method: 'GET', url: '/v1/report', headers: { ...AUTH, 'if-none-match': tag } });
  t.equal(older.statusCode, 304, 'a second later the hardware reading is older, the report the same');
  collectedAt = '2026-01-02T03:04:15.000Z';
  const next = await app.inject({ method: 'GET', url: '/v1/report', headers: { ...AUTH, 'if-none-match': tag } });
  t.equal(next.statusCode, 200, 'a new collection is a new report');
  t.not(next.headers.etag, tag);
  t.equal(next.json().hardware.ageS, 11, 'the body carries the current age');
});

t.test('report: HEAD answers like GET without the body', async (t) => {
  const { app } = harness(t.testdir());
  const get = await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH });
  const etag = get.headers.etag as string;
  const head = await app.inject({ method: 'HEAD', url: '/v1/report', headers: AUTH });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '');
  t.equal(head.headers.etag, etag);
  t.equal(head.headers['content-length'], get.headers['content-length'], 'the length GET would send');
  t.equal(head.headers['content-type'], 'application/json; charset=utf-8');
  const hit = await app.inject({ method: 'HEAD', url: '/v1/report', headers: { ...AUTH, 'if-none-match': etag } });
  t.equal(hit.statusCode, 304);
  t.equal(hit.body, '');
  t.equal(hit.headers.etag, etag);
  t.notOk('content-length' in hit.headers, 'no content-length that would contradict the 200');
  const miss = await app.inject({ method: 'HEAD', url: '/v1/report', headers: { ...AUTH, 'if-none-match': '"other"' } });
  t.equal(miss.statusCode, 200);
});

t.test('report: a wrong token is 401 whatever the If-None-Match', async (t) => {
  const { app } = harness(t.testdir());
  const etag = (await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH })).headers.etag as string;
  for (const method of ['GET', 'HEAD'] as const) {
    for (const header of [etag, '*']) {
      const res = await app.inject({ method, url: '/v1/report', headers: { authorization: 'Bearer wrong-token-0123456789abcdef', 'if-none-match': header } });
      t.equal(res.statusCode, 401, `${method} with ${header}`);
      t.notOk('etag' in res.headers, 'no tag leaks');
    }
  }
});
