import t from 'tap';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerSpec } from '../../../shared/wire.js';
import { findContainer, logOptions, notFoundMessage, serviceOf } from '../../../agent/api/logs.js';
import { AUTH } from './harness.js';
import { engineApp, frame } from './engine-app.js';

const spec = (name: string): ContainerSpec => ({ name, stack: 'web', service: name.split('.')[0].split('_')[1], replica: 1, image: 'img:1' });

async function withContainers(dir: string) {
  const h = engineApp(dir);
  const a = await h.docker.create(spec('web_api.1.aaaa1111'), 'h');
  const b = 'b2'.repeat(32); // a real engine's ids are 64 hex digits: the route accepts a 12-digit prefix
  const made = await h.docker.create(spec('web_api.2.aaaa1111'), 'h');
  h.docker.containers.find((x) => x.id === made)!.id = b;
  const c = await h.docker.create(spec('web_db.1.bbbb2222'), 'h');
  h.docker.logBytes.set(a, Buffer.concat([frame(1, 'listening on 8080\n'), frame(2, 'warning: no cache\n')]));
  h.docker.logBytes.set(c, Buffer.from('raw tty text\n'));
  h.docker.ttys.add(c);
  h.docker.addForeign('web_api.9.cccc3333', 'another-agent');
  return { ...h, ids: { a, b, c } };
}

t.test('query options', async (t) => {
  const rows: [Record<string, string>, unknown][] = [
    [{}, { options: { follow: false, timestamps: false } }],
    [{ follow: '1', timestamps: 'true' }, { options: { follow: true, timestamps: true } }],
    [{ follow: '0', tail: '20' }, { options: { follow: false, timestamps: false, tail: 20 } }],
    [{ tail: 'all' }, { options: { follow: false, timestamps: false } }],
    [{ tail: '0' }, { options: { follow: false, timestamps: false, tail: 0 } }],
    [{ since: '1700000000' }, { options: { follow: false, timestamps: false, since: 1700000000 } }],
    [{ since: '1700000000.5' }, { options: { follow: false, timestamps: false, since: 1700000000.5 } }],
    [{ follow: 'yes' }, { field: 'follow' }],
    [{ timestamps: '2' }, { field: 'timestamps' }],
    [{ tail: '-1' }, { field: 'tail' }],
    [{ tail: '1e3' }, { field: 'tail' }],
    [{ tail: '1234567890' }, { field: 'tail' }],
    [{ since: 'yesterday' }, { field: 'since' }],
    [{ since: '-5' }, { field: 'since' }],
    [{ lines: '5' }, { field: 'lines' }],
  ];
  for (const [query, want] of rows) t.match(logOptions(query), want, JSON.stringify(query));
  t.same(logOptions({ follow: '1' }), { options: { follow: true, timestamps: false } }, 'no tail or since unless asked');
});

t.test('finding a container, and the 404 message', async (t) => {
  const all = [
    { id: 'abcdef0123456789', name: 'web_api.1.aaaa1111', specHash: 'h', state: 'running' as const, restartCount: 0 },
    { id: '0123456789abcdef', name: 'web_api.2.aaaa1111', specHash: 'h', state: 'running' as const, restartCount: 0 },
    { id: 'fedcba9876543210', name: 'web_db.1.bbbb2222', specHash: 'h', state: 'running' as const, restartCount: 0 },
  ];
  t.equal(findContainer(all, 'web_api.2.aaaa1111')?.id, '0123456789abcdef', 'by name');
  t.equal(findContainer(all, 'abcdef012345')?.name, 'web_api.1.aaaa1111', 'by a 12-digit id prefix');
  t.equal(findContainer(all, 'abcdef01234'), undefined, 'an 11-digit prefix is too short');
  t.equal(findContainer(all, 'web_api'), undefined, 'a service is not a container');
  t.equal(serviceOf('web_api.1.aaaa1111'), 'web_api');
  t.equal(serviceOf('plain'), 'plain');
  t.equal(
    notFoundMessage(all, 'web_api.3.aaaa1111'),
    'this agent manages no container "web_api.3.aaaa1111"; web_api has web_api.1.aaaa1111, web_api.2.aaaa1111',
  );
  t.equal(notFoundMessage(all, 'web_cache.1.x'), 'this agent manages no container "web_cache.1.x" nor any of web_cache; it runs web_api, web_db');
  t.equal(notFoundMessage([], 'x.1'), 'this agent manages no container "x.1" nor any of x; it runs none');
});

t.test('GET /v1/logs/{container}', async (t) => {
  const { app, docker, ids } = await withContainers(t.testdir());
  const get = (url: string, headers: Record<string, string> = AUTH) => app.inject({ method: 'GET', url, headers });

  const res = await get('/v1/logs/web_api.1.aaaa1111?tail=50&timestamps=1');
  t.equal(res.statusCode, 200);
  t.equal(res.body, 'listening on 8080\nwarning: no cache\n', 'stdout and stderr, frame headers removed');
  t.match(res.headers['content-type'], /^text\/plain; charset=utf-8/);
  t.equal(res.headers['cache-control'], 'no-store');
  t.same(docker.logStreams.at(-1)!.opts, { follow: false, timestamps: true, tail: 50 }, 'options reach the engine');
  t.equal(docker.logStreams.at(-1)!.id, ids.a);

  const tty = await get('/v1/logs/web_db.1.bbbb2222');
  t.equal(tty.body, 'raw tty text\n', 'a TTY container has no frames: passed as it is');
  t.equal((await get(`/v1/logs/${ids.b.slice(0, 12)}`)).statusCode, 200, 'by id');
  t.equal(docker.logStreams.at(-1)!.id, ids.b);
  t.equal((await get('/v1/logs/web_api.2.aaaa1111')).body, '', 'no output yet: empty');

  const missing = await get('/v1/logs/web_api.3.aaaa1111');
  t.equal(missing.statusCode, 404);
  t.same(missing.json().error, {
    code: 'E_NOT_FOUND',
    message: 'this agent manages no container "web_api.3.aaaa1111"; web_api has web_api.1.aaaa1111, web_api.2.aaaa1111',
  });
  const foreign = await get('/v1/logs/web_api.9.cccc3333');
  t.equal(foreign.statusCode, 404, "another agent's container is not served");

  const rows: [string, number, string, string?][] = [
    ['/v1/logs/web_api.1.aaaa1111?tail=x', 400, 'E_QUERY', 'tail'],
    ['/v1/logs/web_api.1.aaaa1111?follow=maybe', 400, 'E_QUERY', 'follow'],
    ['/v1/logs/web_api.1.aaaa1111?service=web_api', 400, 'E_QUERY', 'service'],
    ['/v1/logs/-bad', 400, 'E_REQUEST', 'container'],
    ['/v1/logs/a%20b', 400, 'E_REQUEST', 'container'],
    ['/v1/logs', 404, 'E_NOT_FOUND'],
  ];
  for (const [url, status, code, field] of rows) {
    const r = await get(url);
    t.equal(r.statusCode, status, url);
    t.equal(r.json().error.code, code, `${url}: ${code}`);
    if (field) t.equal(r.json().error.field, field);
  }
  t.equal((await get('/v1/logs/web_api.1.aaaa1111', {})).statusCode, 401, 'the token is needed');
  t.equal((await get('/v1/logs/web_api.1.aaaa1111', { authorization: 'Bearer wrong-token-0123456789abcdef' })).statusCode, 401);
  for (const method of ['POST', 'PUT', 'DELETE', 'HEAD'] as const) {
    const r = await app.inject({ method, url: '/v1/logs/web_api.1.aaaa1111', headers: AUTH });
    t.equal(r.statusCode, 405, method);
    t.equal(r.headers.allow, 'GET');
  }
  t.ok(
    docker.logStreams.every((s) => s.stream.destroyed || s.stream.readableEnded),
    'every stream handed out is finished',
  );
});

t.test('an engine that fails', async (t) => {
  const { app, docker, errors } = await withContainers(t.testdir());
  docker.down = true;
  const r = await app.inject({ method: 'GET', url: '/v1/logs/web_api.1.aaaa1111', headers: AUTH });
  t.equal(r.statusCode, 500, 'a plain error is the agent failing');
  t.equal(r.json().error.code, 'E_INTERNAL');
  t.equal(errors.length, 1);
  docker.down = false;
  docker.logs = async () => {
    throw Object.assign(new Error('cannot read the logs: Docker answered 404'), { cause: { statusCode: 404 } });
  };
  const gone = await app.inject({ method: 'GET', url: '/v1/logs/web_api.1.aaaa1111', headers: AUTH });
  t.equal(gone.statusCode, 404, 'removed between the list and the logs request');
  t.equal(gone.json().error.message, 'web_api.1.aaaa1111 is gone');
  t.equal(errors.length, 1, 'not an agent failure');
  const none = engineApp(t.testdir(), { engine: false });
  const n = await none.app.inject({ method: 'GET', url: '/v1/logs/x.1', headers: AUTH });
  t.equal(n.statusCode, 503);
});

t.test('follow: streams as lines come, and the client going away closes the engine stream', async (t) => {
  const { app, docker } = await withContainers(t.testdir());
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;

  // 1. The engine's stream ends (the container stopped): the answer ends.
  const ended = new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/logs/web_api.2.aaaa1111?follow=1', headers: AUTH }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        if (text === 'one\n') {
          const s = docker.logStreams.at(-1)!.stream;
          s.write(frame(1, 'two\n'));
          s.end();
        }
      });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
  await waitFor(() => docker.logStreams.length === 1);
  docker.logStreams[0].stream.write(frame(1, 'one\n'));
  t.equal(await ended, 'one\ntwo\n', 'lines arrive as they are written; the end of the engine stream ends the answer');

  // 2. The client goes away: the engine stream is destroyed, nothing stays open.
  const got = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/logs/web_api.1.aaaa1111?follow=1&tail=1', headers: AUTH }, (res) => {
      res.once('data', (c: Buffer) => {
        req.destroy(); // the user pressed Ctrl-C
        resolve(c.toString());
      });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
  t.match(got, /listening on 8080/);
  const followed = docker.logStreams[1];
  t.same(followed.opts, { follow: true, timestamps: false, tail: 1 });
  await waitFor(() => followed.stream.destroyed);
  t.ok(followed.stream.destroyed, 'the engine stream is destroyed once the client is gone');
  t.equal(docker.logStreams.filter((s) => !s.stream.destroyed && !s.stream.readableEnded).length, 0, 'no stream left open');
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
