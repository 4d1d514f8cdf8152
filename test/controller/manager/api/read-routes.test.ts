import t from 'tap';
import { AUTH, makeApi } from './harness.js';

const get = (app: ReturnType<typeof makeApi>['app'], url: string) => app.inject({ url, headers: AUTH });

t.test('nodes, one node, and 404 for an unknown one', async (t) => {
  const { app, view } = makeApi();
  const { nodes } = (await get(app, '/v1/nodes')).json();
  t.same(
    nodes.map((n: { row: { node: string } }) => n.row.node),
    ['pi1', 'nuc1', 'nuc2'],
  );
  const one = await get(app, '/v1/nodes/nuc1');
  t.equal(one.statusCode, 200);
  t.equal(one.json().node.row.node, 'nuc1');
  t.same(
    one.json().replicas.map((r: { node: string }) => r.node),
    view
      .ps()
      .filter((r) => r.node === 'nuc1')
      .map((r) => r.node),
  );
  const none = await get(app, '/v1/nodes/nuc9');
  t.equal(none.statusCode, 404);
  t.equal(none.json().error.code, 'E_NO_NODE');
  t.match(none.json().error.message, /nuc9/);
});

t.test('services, one service, and 404', async (t) => {
  const { app } = makeApi();
  const { services } = (await get(app, '/v1/services')).json();
  t.same(services.map((s: { service: string }) => s.service).sort(), ['api', 'report', 'web']);
  const web = (await get(app, '/v1/services/shop/web')).json();
  t.equal(web.service.wanted, 3);
  t.equal(web.replicas.length, 3);
  t.equal(web.rollout, 'completed');
  t.equal(web.versions.length, 2);
  t.equal((await get(app, '/v1/services/shop/nope')).statusCode, 404);
  t.equal((await get(app, '/v1/services/nope/web')).json().error.code, 'E_NO_SERVICE');
});

t.test('ps filters by stack and service; a service wants its stack', async (t) => {
  const { app } = makeApi();
  t.equal((await get(app, '/v1/ps')).json().replicas.length, 6);
  t.equal((await get(app, '/v1/ps?stack=shop')).json().replicas.length, 6);
  t.equal((await get(app, '/v1/ps?stack=shop&service=api')).json().replicas.length, 2);
  t.equal((await get(app, '/v1/ps?stack=other')).json().replicas.length, 0);
  const lone = await get(app, '/v1/ps?service=api');
  t.equal(lone.statusCode, 400);
  t.equal(lone.json().error.field, 'stack');
  const twice = await get(app, '/v1/ps?stack=a&stack=b');
  t.equal(twice.statusCode, 400);
  t.match(twice.json().error.message, /more than once/);
  const odd = await get(app, '/v1/ps?stack=..%2F..');
  t.equal(odd.statusCode, 400);
  t.equal(odd.json().error.field, 'stack');
});

t.test('logs: tail from 1 to 10000, 100 by default', async (t) => {
  const { app, view } = makeApi();
  const res = await get(app, '/v1/logs/shop/web');
  t.equal(res.statusCode, 200);
  t.equal(res.json().lines.length, 9, 'three lines from each of three replicas (the fake gives three at most)');
  t.equal(view.calls.at(-1), 'logs shop/web 100');
  for (const ok of ['1', '10000']) {
    t.equal((await get(app, `/v1/logs/shop/web?tail=${ok}`)).statusCode, 200, ok);
    t.equal(view.calls.at(-1), `logs shop/web ${ok}`);
  }
  for (const bad of ['0', '10001', '-1', '1.5', 'all', '']) {
    const r = await get(app, `/v1/logs/shop/web?tail=${bad}`);
    t.equal(r.statusCode, 400, `tail=${bad}`);
    t.equal(r.json().error.field, 'tail');
  }
  t.equal((await get(app, '/v1/logs/shop/web?lines=5')).json().error.field, 'lines', 'an unknown parameter is named');
  t.equal((await get(app, '/v1/logs/shop/nope')).statusCode, 404, "the view's refusal keeps its status");
});

t.test('names in paths are checked', async (t) => {
  const { app } = makeApi();
  const r = await get(app, `/v1/nodes/${'a'.repeat(129)}`);
  t.equal(r.statusCode, 400);
  t.equal(r.json().error.field, 'node');
  t.equal((await get(app, `/v1/nodes/${'a'.repeat(128)}`)).statusCode, 404, '128 characters is a name');
  t.equal((await get(app, '/v1/services/shop/-web')).json().error.field, 'service');
  t.equal((await get(app, '/v1/nodes?x=1')).statusCode, 400, 'no query where none is taken');
});

t.test('404 for unknown routes, 405 with Allow for wrong methods', async (t) => {
  const { app } = makeApi();
  const nf = await get(app, '/v1/nothing');
  t.equal(nf.statusCode, 404);
  t.equal(nf.json().error.code, 'E_NOT_FOUND');
  const rows: [string, string, string][] = [
    ['DELETE', '/v1/nodes', 'GET, HEAD'],
    ['PUT', '/v1/nodes/nuc1', 'GET, HEAD'],
    ['GET', '/v1/nodes/nuc1/availability', 'POST'],
    ['GET', '/v1/services/shop/web/scale', 'POST'],
    ['GET', '/v1/stacks', 'POST'],
    ['POST', '/v1/stacks/shop', 'DELETE'],
    ['POST', '/v1/events', 'GET'],
    ['POST', '/metrics', 'GET, HEAD'],
    ['GET', '/v1/login', 'POST'],
    ['HEAD', '/v1/logs/shop/web', 'GET'],
  ];
  for (const [method, url, allow] of rows) {
    const r = await app.inject({ method: method as 'GET', url, headers: AUTH });
    t.equal(r.statusCode, 405, `${method} ${url}`);
    t.equal(r.headers.allow, allow);
  }
  t.equal((await app.inject({ method: 'HEAD', url: '/v1/nodes', headers: AUTH })).statusCode, 200, 'HEAD where GET is');
});

t.test('a view that throws is a 500 without internals, and is told', async (t) => {
  const { app, view, errors } = makeApi();
  view.nodes = () => {
    throw new Error('secret internals');
  };
  const r = await get(app, '/v1/nodes');
  t.equal(r.statusCode, 500);
  t.equal(r.json().error.code, 'E_INTERNAL');
  t.notMatch(r.body, /secret internals/);
  t.equal(errors.length, 1);
});
