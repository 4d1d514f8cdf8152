import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { filesStore, type FilesStore } from '../../../agent/state/files-store.js';
import { MAX_FILE_BYTES } from '../../../agent/api/schema.js';
import { AUTH, harness } from './harness.js';

const SECRET = Buffer.from('s3cr3t-hunter2-do-not-print');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const nameOf = (key: string, b: Buffer) => `web_${key}.${sha(b).slice(0, 12)}`;
const put = (name: string, body: unknown) => ({ method: 'PUT' as const, url: `/v1/files/${name}`, headers: AUTH, payload: body as object });

t.test('put, list, delete; content never answered', async (t) => {
  const dir = t.testdir();
  const { app, errors, delivered } = harness(dir, { files: filesStore(dir) });
  const name = nameOf('db', SECRET);
  const first = await app.inject(put(name, { kind: 'secret', data: SECRET.toString('base64') }));
  t.equal(first.statusCode, 201);
  t.same(first.json(), { name, kind: 'secret', digest: sha(SECRET), size: SECRET.length, outcome: 'created' });
  t.same(readFileSync(join(dir, 'files/secret', name)), SECRET, 'stored under <stateDir>/files/<kind>/<name>');
  t.equal(statSync(join(dir, 'files/secret', name)).mode & 0o777, 0o600);
  const again = await app.inject(put(name, { kind: 'secret', data: SECRET.toString('base64') }));
  t.equal(again.statusCode, 200);
  t.equal(again.json().outcome, 'unchanged', 'idempotent');
  t.same(delivered, [name], 'the owner hears of a new file once, not of a retry');

  const list = await app.inject({ method: 'GET', url: '/v1/files', headers: AUTH });
  t.same(list.json(), { files: [{ name, kind: 'secret', digest: sha(SECRET), size: SECRET.length }] });
  const answers = [first.body, again.body, list.body];

  const inUse = {
    generation: 1,
    containers: [
      {
        name: 'web_api.1',
        stack: 'web',
        service: 'api',
        replica: 1,
        image: 'i',
        files: [{ kind: 'secret', name, digest: sha(SECRET), target: '/run/secrets/db' }],
      },
    ],
  };
  t.equal((await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: inUse })).statusCode, 200);
  const desired = await app.inject({ method: 'GET', url: '/v1/desired', headers: AUTH });
  answers.push(desired.body);
  const refused = await app.inject({ method: 'DELETE', url: `/v1/files/${name}`, headers: AUTH });
  t.equal(refused.statusCode, 409, 'a file the desired set mounts stays');
  t.match(refused.json().error, { code: 'E_IN_USE', message: /mounted by web_api.1/ });
  t.equal((await app.inject({ method: 'PUT', url: '/v1/desired', headers: AUTH, payload: { generation: 2, containers: [] } })).statusCode, 200);
  const del = await app.inject({ method: 'DELETE', url: `/v1/files/${name}`, headers: AUTH });
  t.equal(del.statusCode, 200);
  t.same(del.json(), { name, removed: ['secret'] });
  const gone = await app.inject({ method: 'DELETE', url: `/v1/files/${name}`, headers: AUTH });
  t.equal(gone.statusCode, 404);
  t.equal(gone.json().error.code, 'E_NO_FILE');
  answers.push(refused.body, del.body, gone.body);
  for (const a of answers) {
    t.notMatch(a, /hunter2/, 'no content in any answer');
    t.notMatch(a, SECRET.toString('base64'), 'not even base64');
  }
  t.same(errors, []);
});

t.test('refusals: 400s naming the field, 413 for a large file, 401 without the token, 405', async (t) => {
  const dir = t.testdir();
  const { app, errors } = harness(dir, { files: filesStore(dir) });
  const b64 = SECRET.toString('base64');
  const name = nameOf('db', SECRET);
  const at = (n: number) => Buffer.alloc(n, 0x78);
  const cases: [string, string, unknown, number, string, string?][] = [
    ['digest mismatch', nameOf('db', Buffer.from('other')), { kind: 'secret', data: b64 }, 400, 'E_DIGEST', 'data'],
    ['bad name', 'web_db', { kind: 'secret', data: b64 }, 400, 'E_SCHEMA', 'name'],
    ['upper-case digits', name.toUpperCase(), { kind: 'secret', data: b64 }, 400, 'E_SCHEMA', 'name'],
    ['a dot-dot name', '..%2F..%2Fetc%2Fpasswd', { kind: 'secret', data: b64 }, 400, 'E_SCHEMA', 'name'],
    ['unknown kind', name, { kind: 'key', data: b64 }, 400, 'E_SCHEMA', 'kind'],
    ['no kind', name, { data: b64 }, 400, 'E_SCHEMA', 'kind'],
    ['no data', name, { kind: 'secret' }, 400, 'E_SCHEMA', 'data'],
    ['data not base64', name, { kind: 'secret', data: 'not base64!' }, 400, 'E_SCHEMA', 'data'],
    ['base64 unpadded', name, { kind: 'secret', data: 'aGk' }, 400, 'E_SCHEMA', 'data'],
    ['base64 with stray bits', name, { kind: 'secret', data: 'aGl=' }, 400, 'E_SCHEMA', 'data'],
    ['an extra field', name, { kind: 'secret', data: b64, mode: 384 }, 400, 'E_SCHEMA', 'mode'],
    [
      'one byte over the cap',
      nameOf('big', at(MAX_FILE_BYTES + 1)),
      { kind: 'config', data: at(MAX_FILE_BYTES + 1).toString('base64') },
      413,
      'E_FILE_TOO_LARGE',
      'data',
    ],
  ];
  for (const [what, n, body, status, code, field] of cases) {
    const res = await app.inject(put(n, body));
    t.equal(res.statusCode, status, `${what}: ${status}`);
    t.equal(res.json().error.code, code, `${what}: ${code}`);
    if (field) t.equal(res.json().error.field, field, `${what}: names ${field}`);
    t.notMatch(res.body, /hunter2/, `${what}: no content`);
  }
  const fits = at(MAX_FILE_BYTES);
  t.equal((await app.inject(put(nameOf('big', fits), { kind: 'config', data: fits.toString('base64') }))).statusCode, 201, 'the cap itself fits');
  t.same(
    (await app.inject({ method: 'GET', url: '/v1/files', headers: AUTH })).json().files.map((f: { name: string }) => f.name),
    [nameOf('big', fits)],
    'refusals stored nothing',
  );

  for (const [method, url] of [
    ['GET', '/v1/files'],
    ['PUT', `/v1/files/${name}`],
    ['DELETE', `/v1/files/${name}`],
  ] as const) {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: 'Bearer wrong-token-0123456789abcdef' },
      payload: method === 'PUT' ? { kind: 'secret', data: b64 } : undefined,
    });
    t.equal(res.statusCode, 401, `${method} ${url} wants the token`);
  }
  t.same((await app.inject({ method: 'GET', url: '/v1/files', headers: AUTH })).json().files.length, 1, 'nothing stored without the token');

  const wrong = await app.inject({ method: 'GET', url: `/v1/files/${name}`, headers: AUTH });
  t.equal(wrong.statusCode, 405, 'a file is never read back');
  t.equal(wrong.headers.allow, 'PUT, DELETE');
  const post = await app.inject({ method: 'POST', url: '/v1/files', headers: AUTH, payload: {} });
  t.equal(post.statusCode, 405);
  t.equal(post.headers.allow, 'GET, HEAD');
  t.same(errors, []);
});

t.test('a broken state directory: 503, nothing half-stored', async (t) => {
  const broken: FilesStore = {
    put: async () => Promise.reject(new Error('EIO')),
    list: async () => Promise.reject(new Error('EIO')),
    remove: async () => Promise.reject(new Error('EIO')),
    materialise: async () => new Map(),
    prune: async () => ({ files: [], mounts: [] }),
  };
  const { app, errors } = harness(t.testdir(), { files: broken });
  const res = await app.inject(put(nameOf('db', SECRET), { kind: 'secret', data: SECRET.toString('base64') }));
  t.equal(res.statusCode, 503);
  t.equal(res.json().error.code, 'E_STATE');
  t.equal((await app.inject({ method: 'GET', url: '/v1/files', headers: AUTH })).statusCode, 503);
  t.equal(errors.length, 2, 'the owner hears of it');
});

t.test('without a files store there are no files routes', async (t) => {
  const { app } = harness(t.testdir());
  t.equal((await app.inject({ method: 'GET', url: '/v1/files', headers: AUTH })).statusCode, 404);
});
