import t from 'tap';
import { buildAgent } from '../../../agent/api/app.js';
import { desiredStore } from '../../../agent/state/desired-store.js';
import { loadAvailability } from '../../../agent/state/availability.js';
import { renderMetrics } from '../../../agent/report/metrics.js';
import { sampleReport } from '../sample-report.js';
import { AUTH, TOKEN } from './harness.js';
import { engineApp } from './engine-app.js';

t.test('POST /v1/availability: saved, reported, in the metrics', async (t) => {
  const dir = t.testdir();
  const { app } = engineApp(dir);
  for (const availability of ['pause', 'drain', 'active'] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/availability', headers: AUTH, payload: { availability } });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { availability, available: availability === 'active' });
    t.equal(await loadAvailability(dir), availability, `${availability}: on disk`);
    const node = (await app.inject({ method: 'GET', url: '/v1/report', headers: AUTH })).json().node;
    t.same({ availability: node.availability, available: node.available }, { availability, available: availability === 'active' }, `${availability}: reported`);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body;
    t.match(metrics, `muster_node_availability{availability="${availability}"} 1`);
    t.equal(metrics.match(/^muster_node_availability\{.*\} 1$/gm)?.length, 1, 'one availability at a time');
  }
});

t.test('the old POST /v1/drain keeps working', async (t) => {
  const dir = t.testdir();
  const { app, availability } = engineApp(dir);
  await availability.set('pause');
  const off = await app.inject({ method: 'POST', url: '/v1/drain', headers: AUTH, payload: { available: false } });
  t.same(off.json(), { available: false }, 'the old answer');
  t.equal(await loadAvailability(dir), 'drain', 'false drains');
  const on = await app.inject({ method: 'POST', url: '/v1/drain', headers: AUTH, payload: { available: true } });
  t.same(on.json(), { available: true });
  t.equal(availability.get(), 'active', 'true makes it active');
});

t.test('bad requests', async (t) => {
  const { app, availability } = engineApp(t.testdir());
  const rows: [string, string, Record<string, string>, string | undefined, number, string, string?][] = [
    ['POST', '/v1/availability', AUTH, '{"availability":"sleep"}', 400, 'E_SCHEMA', 'availability'],
    ['POST', '/v1/availability', AUTH, '{"availability":"Active"}', 400, 'E_SCHEMA', 'availability'],
    ['POST', '/v1/availability', AUTH, '{"availability":true}', 400, 'E_SCHEMA', 'availability'],
    ['POST', '/v1/availability', AUTH, '{"available":false}', 400, 'E_SCHEMA', 'availability'],
    ['POST', '/v1/availability', AUTH, '{"availability":"drain","why":"x"}', 400, 'E_SCHEMA', 'why'],
    ['POST', '/v1/availability', AUTH, '{}', 400, 'E_SCHEMA', 'availability'],
    ['POST', '/v1/availability', AUTH, '{"availability":', 400, 'E_JSON'],
    ['POST', '/v1/availability', {}, '{"availability":"drain"}', 401, 'E_AUTH'],
    ['GET', '/v1/availability', AUTH, undefined, 405, 'E_METHOD'],
    ['PUT', '/v1/availability', AUTH, '{"availability":"drain"}', 405, 'E_METHOD'],
    ['GET', '/v1/drain', AUTH, undefined, 405, 'E_METHOD'],
  ];
  for (const [method, url, auth, payload, status, code, field] of rows) {
    const headers = payload === undefined ? auth : { ...auth, 'content-type': 'application/json' };
    const r = await app.inject({ method: method as 'POST', url, headers, payload });
    t.equal(r.statusCode, status, `${method} ${url} ${payload}`);
    t.equal(r.json().error.code, code);
    if (field) t.equal(r.json().error.field, field);
    if (status === 405) t.equal(r.headers.allow, 'POST');
  }
  const text = await app.inject({ method: 'POST', url: '/v1/availability', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'drain' });
  t.equal(text.statusCode, 415);
  t.equal(availability.get(), 'active', 'nothing changed');
});

t.test('a save that fails is a 503 and changes nothing', async (t) => {
  const errors: unknown[] = [];
  const current = 'active' as const;
  const app = buildAgent({
    token: TOKEN,
    desired: desiredStore(t.testdir(), null),
    availability: {
      get: () => current,
      set: async () => {
        throw new Error('EROFS: read-only file system');
      },
    },
    report: async () => sampleReport(),
    onError: (e) => errors.push(e),
  });
  for (const [url, payload] of [
    ['/v1/availability', { availability: 'drain' }],
    ['/v1/drain', { available: false }],
  ] as const) {
    const r = await app.inject({ method: 'POST', url, headers: AUTH, payload });
    t.equal(r.statusCode, 503, url);
    t.equal(r.json().error.code, 'E_STATE');
    t.notMatch(r.body, /EROFS/);
  }
  t.equal(errors.length, 2);
  t.equal(current, 'active');
});

t.test('metrics of a report from an agent without availability', async (t) => {
  const r = sampleReport();
  delete r.node.availability;
  r.node.available = false;
  t.match(renderMetrics(r), 'muster_node_availability{availability="drain"} 1', 'not available reads as drain');
});
