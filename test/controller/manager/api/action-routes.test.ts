import t from 'tap';
import { STACK_BODY_LIMIT } from '../../../../controller/manager/api/schemas.js';
import { AUTH, makeApi } from './harness.js';

type App = ReturnType<typeof makeApi>['app'];
const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, headers: AUTH, ...(payload !== undefined ? { payload: payload as object } : {}) });

t.test('drain moves the node’s replicas elsewhere and answers 202', async (t) => {
  const { app, view } = makeApi();
  t.ok(
    view.ps().some((r) => r.node === 'nuc1'),
    'nuc1 holds replicas first',
  );
  const r = await post(app, '/v1/nodes/nuc1/availability', { availability: 'drain' });
  t.equal(r.statusCode, 202);
  t.same(r.json(), { message: 'nuc1 is now drain' });
  t.notOk(
    view.ps().some((x) => x.node === 'nuc1'),
    'none left on nuc1',
  );
  t.equal(view.ps({ stack: 'shop', service: 'web' }).length, 3, 'still three web replicas');
  const types = view.feed.all.map((e) => e.type);
  t.ok(types.includes('availability') && types.includes('removed') && types.includes('placed'));
  t.equal((await post(app, '/v1/nodes/nuc9/availability', { availability: 'drain' })).statusCode, 404);
});

t.test('availability bodies are checked: 400 naming the field', async (t) => {
  const { app, view } = makeApi();
  const rows: [unknown, string][] = [
    [{ availability: 'off' }, 'availability'],
    [{ availability: 1 }, 'availability'],
    [{}, 'availability'],
    [{ availability: 'drain', extra: 1 }, 'extra'],
  ];
  for (const [body, field] of rows) {
    const r = await post(app, '/v1/nodes/nuc1/availability', body);
    t.equal(r.statusCode, 400, JSON.stringify(body));
    t.equal(r.json().error.field, field);
    t.equal(r.json().error.code, 'E_SCHEMA');
  }
  const arr = await post(app, '/v1/nodes/nuc1/availability', []);
  t.equal(arr.statusCode, 400);
  t.same(view.calls, [], 'the view was never asked');
});

t.test('scale takes 0 to 1000 replicas, whole numbers only', async (t) => {
  const { app, view } = makeApi();
  for (const n of [0, 1000, 4]) {
    const r = await post(app, '/v1/services/shop/api/scale', { replicas: n });
    t.equal(r.statusCode, 202, String(n));
    t.equal(view.ps({ stack: 'shop', service: 'api' }).length, n);
  }
  for (const bad of [-1, 1001, 2.5, '3', null]) {
    const r = await post(app, '/v1/services/shop/api/scale', { replicas: bad });
    t.equal(r.statusCode, 400, JSON.stringify(bad));
    t.equal(r.json().error.field, 'replicas');
  }
  t.equal((await post(app, '/v1/services/shop/nope/scale', { replicas: 1 })).statusCode, 404);
});

t.test('rollback: 202 with the version, 409 when there is none to go back to', async (t) => {
  const { app } = makeApi();
  const r = await post(app, '/v1/services/shop/web/rollback');
  t.equal(r.statusCode, 202);
  t.equal(r.json().version, 3);
  const none = await post(app, '/v1/services/shop/report/rollback');
  t.equal(none.statusCode, 409);
  t.same(none.json().error, { code: 'E_NO_PREVIOUS', message: 'shop/report has no earlier version', hint: 'deploy one first' });
});

t.test('a refusal keeps its status, code, message and hint', async (t) => {
  const { app, view } = makeApi();
  view.refuseNext = { ok: false, status: 503, code: 'E_NO_AGENTS', message: 'no agent answers', hint: 'wait' };
  const r = await post(app, '/v1/services/shop/web/scale', { replicas: 2 });
  t.equal(r.statusCode, 503);
  t.same(r.json(), { error: { code: 'E_NO_AGENTS', message: 'no agent answers', hint: 'wait' } });
});

const stack = (name = 'blog') => ({
  stack: { name, file: 'blog.yml', services: [{ name: 'web', deploy: { replicas: 2 } }], networks: {}, volumes: {}, secrets: {}, configs: {} },
  file: 'blog.yml',
});

t.test('deploy takes a stack and answers 202 with the version; remove takes it away', async (t) => {
  const { app, view } = makeApi();
  const r = await post(app, '/v1/stacks', stack());
  t.equal(r.statusCode, 202);
  t.equal(r.json().version, 1);
  t.equal(view.ps({ stack: 'blog' }).length, 2);
  const del = await app.inject({ method: 'DELETE', url: '/v1/stacks/blog', headers: AUTH });
  t.equal(del.statusCode, 202);
  t.equal(view.ps({ stack: 'blog' }).length, 0);
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/stacks/blog', headers: AUTH })).statusCode, 404);
});

t.test('deploy bodies are checked in their outer shape', async (t) => {
  const { app, view } = makeApi();
  const s = stack();
  const rows: [unknown, string][] = [
    [{ file: 'x.yml' }, 'stack'],
    [{ ...s, file: undefined }, 'file'],
    [{ ...s, extra: true }, 'extra'],
    [{ ...s, stack: { ...s.stack, name: 'Bad Name' } }, 'stack.name'],
    [{ ...s, stack: { ...s.stack, services: [] } }, 'stack.services'],
    [{ ...s, stack: { ...s.stack, services: [{}] } }, 'stack.services[0].name'],
    [{ ...s, stack: { ...s.stack, volumes: [] } }, 'stack.volumes'],
    [{ ...s, move: ['ok', 'not ok'] }, 'move[1]'],
  ];
  for (const [body, field] of rows) {
    const r = await post(app, '/v1/stacks', body);
    t.equal(r.statusCode, 400, field);
    t.equal(r.json().error.field, field);
  }
  t.same(view.calls, []);
});

t.test('a deploy body up to the limit is read, past it 413', async (t) => {
  const { app } = makeApi();
  const s = stack();
  const pad = (n: number) => ({ ...s, stack: { ...s.stack, configs: { c: { content: 'A'.repeat(n) } } } });
  const base = Buffer.byteLength(JSON.stringify(pad(0)));
  t.equal((await post(app, '/v1/stacks', pad(STACK_BODY_LIMIT - base))).statusCode, 202, 'exactly the limit');
  const over = await post(app, '/v1/stacks', pad(STACK_BODY_LIMIT - base + 1));
  t.equal(over.statusCode, 413);
  t.equal(over.json().error.code, 'E_BODY_TOO_LARGE');
  t.equal((await post(app, '/v1/nodes/nuc1/availability', { availability: 'drain', pad: 'x'.repeat(70_000) })).statusCode, 413, 'other routes take less');
});

t.test('bodies are JSON: 415 for text, 400 for broken JSON', async (t) => {
  const { app } = makeApi();
  const text = await app.inject({
    method: 'POST',
    url: '/v1/services/shop/web/scale',
    headers: { ...AUTH, 'content-type': 'text/plain' },
    payload: 'replicas=2',
  });
  t.equal(text.statusCode, 415);
  t.equal(text.json().error.code, 'E_CONTENT_TYPE');
  const form = await app.inject({ method: 'POST', url: '/v1/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=x' });
  t.equal(form.statusCode, 415, 'a form post cannot log in');
  const broken = await app.inject({
    method: 'POST',
    url: '/v1/services/shop/web/scale',
    headers: { ...AUTH, 'content-type': 'application/json' },
    payload: '{"replicas":',
  });
  t.equal(broken.statusCode, 400);
  t.equal(broken.json().error.code, 'E_JSON');
});
