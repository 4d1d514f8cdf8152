import t from 'tap';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { byteLimit, imageReport, MAX_IMAGE_BYTES, platformProblem } from '../../../agent/api/images.js';
import { parsePlatform, type Platform } from '../../../agent/report/platform.js';
import type { EngineImageDetail } from '../../../agent/docker/port.js';
import { AUTH } from './harness.js';
import { engineApp } from './engine-app.js';
import { validSet } from './harness.js';

const TAR = { ...AUTH, 'content-type': 'application/x-tar' };
const amd64: EngineImageDetail = { id: 'sha256:aaa', tags: ['app:2'], os: 'linux', architecture: 'amd64' };
const arm64: EngineImageDetail = { id: 'sha256:bbb', tags: ['app:arm'], os: 'linux', architecture: 'arm64', variant: 'v8' };
const armv7: EngineImageDetail = { id: 'sha256:ccc', tags: ['app:v7'], os: 'linux', architecture: 'arm', variant: 'v7' };
const p = (s: string): Platform => parsePlatform(s)!;

t.test('platform checks', async (t) => {
  const rows: [string, string | undefined, string | undefined, string | undefined][] = [
    // image, node, expected -> problem
    ['linux/amd64', 'linux/amd64', undefined, undefined],
    ['linux/arm64', 'linux/amd64', undefined, 'is linux/arm64, and this node is linux/amd64'],
    ['linux/arm/v7', 'linux/arm64', undefined, undefined],
    ['linux/arm64', 'linux/arm/v7', undefined, 'is linux/arm64, and this node is linux/arm/v7'],
    ['linux/arm/v7', 'linux/arm64', 'linux/arm64', 'is linux/arm/v7, not the linux/arm64 the controller expected'],
    ['linux/arm64', 'linux/arm64', 'linux/arm64', undefined],
    ['linux/arm64', undefined, undefined, undefined],
    ['linux/arm64', undefined, 'linux/amd64', 'is linux/arm64, not the linux/amd64 the controller expected'],
    ['windows/amd64', 'linux/amd64', undefined, 'is windows/amd64, and this node is linux/amd64'],
  ];
  for (const [image, node, expected, want] of rows) {
    t.equal(platformProblem(p(image), node ? p(node) : undefined, expected ? p(expected) : undefined), want, `${image} on ${node} expecting ${expected}`);
  }
  t.same(imageReport(armv7), { id: 'sha256:ccc', tags: ['app:v7'], os: 'linux', arch: 'arm/v7' });
});

t.test('the byte limit passes the limit and fails one byte over', async (t) => {
  const pass = async (n: number, limit: number): Promise<number | string> => {
    const l = byteLimit(limit);
    try {
      let got = 0;
      for await (const c of Readable.from([Buffer.alloc(n - Math.floor(n / 2)), Buffer.alloc(Math.floor(n / 2))]).pipe(l)) got += (c as Buffer).length;
      return got;
    } catch (e) {
      return `${(e as { statusCode?: number }).statusCode}`;
    }
  };
  t.equal(await pass(10, 10), 10, 'at the limit');
  t.equal(await pass(11, 10), '413', 'one byte over');
  t.equal(MAX_IMAGE_BYTES, 4 * 1024 ** 3);
});

t.test('POST /v1/images loads a tar and answers what it loaded', async (t) => {
  const { app, docker, loads } = engineApp(t.testdir());
  docker.nextLoad = [amd64];
  const body = Buffer.alloc(3 * 1024 * 1024, 7); // larger than the 1 MiB of every other route
  const res = await app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: body });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json(), { loaded: [{ id: 'sha256:aaa', tags: ['app:2'], os: 'linux', arch: 'amd64' }] });
  t.equal(docker.loadedBytes, body.length, 'the whole tar reached the engine');
  t.same(loads, [body.length], 'the owner hears of it once the engine has it (the report lists images again)');
  const tooBig = await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: { ...validSet(1), pad: 'x'.repeat(2 * 1024 * 1024) } });
  t.equal(tooBig.statusCode, 413, 'other routes keep their 1 MiB limit');
  docker.nextLoad = [armv7];
  const withType = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: { ...AUTH, 'content-type': 'application/tar; charset=binary' },
    payload: body,
  });
  t.equal(withType.statusCode, 400, 'application/tar is a tar too (and arm/v7 does not run on amd64)');
  t.equal(withType.json().error.code, 'E_PLATFORM');
});

t.test('a wrong platform is removed again and named', async (t) => {
  const { app, docker } = engineApp(t.testdir());
  docker.nextLoad = [arm64];
  const res = await app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: Buffer.from('tar') });
  t.equal(res.statusCode, 400);
  t.same(res.json().error, { code: 'E_PLATFORM', message: 'wrong platform: app:arm is linux/arm64, and this node is linux/amd64 (removed again)' });
  t.ok(docker.calls.includes('rmi sha256:bbb'), 'removed');
  t.same(docker.imageList, [], 'the engine does not keep it');

  // An image the node had before the upload is not removed (only what this upload brought).
  docker.imageList = [arm64];
  docker.nextLoad = [arm64];
  const again = await app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: Buffer.from('tar') });
  t.equal(again.statusCode, 400);
  t.equal(again.json().error.message, 'wrong platform: app:arm is linux/arm64, and this node is linux/amd64');
  t.same(
    docker.imageList.map((i) => i.id),
    ['sha256:bbb'],
    'kept',
  );

  // On an arm64 node: arm/v7 runs; the controller's expectation is checked too.
  const pi = engineApp(t.testdir(), { platform: { os: 'linux', arch: 'arm64' } });
  pi.docker.nextLoad = [armv7];
  t.equal((await pi.app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: Buffer.from('tar') })).statusCode, 200, 'arm/v7 on arm64');
  pi.docker.nextLoad = [armv7];
  const expected = await pi.app.inject({ method: 'POST', url: '/v1/images?platform=linux/arm64', headers: TAR, payload: Buffer.from('tar') });
  t.equal(expected.statusCode, 400);
  t.match(expected.json().error.message, 'is linux/arm/v7, not the linux/arm64 the controller expected');
  pi.docker.nextLoad = [arm64];
  const ok = await pi.app.inject({ method: 'POST', url: '/v1/images?platform=linux/arm64/v8', headers: TAR, payload: Buffer.from('tar') });
  t.equal(ok.statusCode, 200);
  t.same(ok.json().loaded[0].arch, 'arm64');
});

t.test('refusals before anything is loaded', async (t) => {
  const { app, docker } = engineApp(t.testdir());
  docker.nextLoad = [amd64];
  const rows: [string, Record<string, string>, string | Buffer | undefined, number, string, string?][] = [
    ['/v1/images', { ...AUTH, 'content-type': 'application/json' }, '{}', 415, 'E_CONTENT_TYPE'],
    ['/v1/images', { ...AUTH, 'content-type': 'text/plain' }, 'x', 415, 'E_CONTENT_TYPE'],
    ['/v1/images', AUTH, undefined, 415, 'E_CONTENT_TYPE'],
    ['/v1/images', TAR, Buffer.alloc(0), 400, 'E_BODY'],
    ['/v1/images?platform=arm64', TAR, 'tar', 400, 'E_QUERY', 'platform'],
    ['/v1/images?platform=linux/arm64&x=1', TAR, 'tar', 400, 'E_QUERY', 'x'],
    ['/v1/images?platform=linux/arm64', TAR, 'tar', 400, 'E_PLATFORM', 'platform'],
    ['/v1/images', { 'content-type': 'application/x-tar' }, 'tar', 401, 'E_AUTH'],
  ];
  for (const [url, headers, payload, status, code, field] of rows) {
    const r = await app.inject({ method: 'POST', url, headers, payload });
    t.equal(r.statusCode, status, `${url} ${headers['content-type']}: ${status}`);
    t.equal(r.json().error.code, code);
    if (field) t.equal(r.json().error.field, field);
  }
  t.match(
    (await app.inject({ method: 'POST', url: '/v1/images?platform=linux/arm64', headers: TAR, payload: 'tar' })).json().error.message,
    'the controller expects linux/arm64 images, and this node is linux/amd64',
  );
  t.equal(docker.loadedBytes, 0, 'nothing reached the engine');
  for (const method of ['GET', 'PUT', 'DELETE'] as const) {
    const r = await app.inject({ method, url: '/v1/images', headers: AUTH });
    t.equal(r.statusCode, 405, method);
    t.equal(r.headers.allow, 'POST');
  }
  const huge = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: { ...TAR, 'content-length': String(MAX_IMAGE_BYTES + 1) },
    payload: Readable.from([Buffer.from('tar')]),
  });
  t.equal(huge.statusCode, 413, 'a Content-Length over 4 GiB');
  t.equal(huge.json().error.code, 'E_BODY_TOO_LARGE');
});

t.test('engine failures', async (t) => {
  const { app, docker, errors } = engineApp(t.testdir());
  docker.failLoad = Object.assign(new Error('archive/tar: invalid tar header'), { statusCode: 400 });
  const bad = await app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: 'not a tar' });
  t.equal(bad.statusCode, 400);
  t.same(bad.json().error, { code: 'E_IMAGE', message: 'Docker could not load the tar: archive/tar: invalid tar header' });
  docker.failLoad = new Error('disk full at /var/lib/docker');
  const broken = await app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: 'tar' });
  t.equal(broken.statusCode, 500);
  t.notMatch(broken.body, /disk full/, 'no internals in the answer');
  t.equal(errors.length, 1, 'the owner hears of it');
  docker.failLoad = undefined;
  const empty = await app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: 'tar' });
  t.equal(empty.statusCode, 400, 'a tar with no image');
  t.match(empty.json().error.message, 'held no image');
  const none = engineApp(t.testdir(), { engine: false });
  t.equal((await none.app.inject({ method: 'POST', url: '/v1/images', headers: TAR, payload: 'tar' })).statusCode, 503);
});

t.test('the tar is streamed to the engine as it comes, not gathered first', async (t) => {
  const { app, docker } = engineApp(t.testdir());
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  docker.nextLoad = [amd64];
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/images', headers: TAR }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(Buffer.alloc(256 * 1024, 1));
    // The rest is sent only once the engine has read from the first part: a route that gathered the body
    // first would never let the engine see a byte, and this test would time out.
    const wait = setInterval(() => {
      if (docker.loadedBytes > 0) {
        clearInterval(wait);
        req.end(Buffer.alloc(256 * 1024, 2));
      }
    }, 5);
  });
  const { status } = await answer;
  t.equal(status, 200);
  t.equal(docker.loadedBytes, 512 * 1024);
});
