import t from 'tap';
import { AUTH, harness, validSet } from './harness.js';

// A corpus of malformed requests. None may yield a 5xx; each gets a JSON error with a stable code, and the
// ones about a field name it.
const spec = validSet(1).containers[0];
const withSpec = (more: Record<string, unknown>) => JSON.stringify({ generation: 1, containers: [{ ...spec, ...more }] });
const without = (key: string) => {
  const c: Record<string, unknown> = { ...spec };
  delete c[key];
  return JSON.stringify({ generation: 1, containers: [c] });
};
const json = { 'content-type': 'application/json' };

interface Case {
  name: string;
  method?: 'PUT' | 'POST' | 'GET' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD';
  url?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  code?: string;
  field?: string;
}

const cases: Case[] = [
  // bad JSON
  { name: 'truncated object', body: '{', status: 400, code: 'E_JSON' },
  { name: 'truncated set', body: '{"generation":1,', status: 400, code: 'E_JSON' },
  { name: 'single quotes', body: "{'generation':1}", status: 400, code: 'E_JSON' },
  { name: 'trailing comma', body: '{"generation":1,"containers":[],}', status: 400, code: 'E_JSON' },
  { name: 'NaN literal', body: '{"generation":NaN,"containers":[]}', status: 400, code: 'E_JSON' },
  { name: 'invalid UTF-8 bytes', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), status: 400 },
  { name: 'empty body', body: '', status: 400, code: 'E_BODY' },
  { name: 'JSON null', body: 'null', status: 400, code: 'E_SCHEMA' },
  { name: 'JSON string', body: '"hello"', status: 400, code: 'E_SCHEMA' },
  { name: 'JSON number', body: '123', status: 400, code: 'E_SCHEMA' },
  { name: 'JSON array', body: '[]', status: 400, code: 'E_SCHEMA' },
  // missing fields
  { name: 'empty object', body: '{}', status: 400, field: 'generation' },
  { name: 'no containers', body: '{"generation":1}', status: 400, field: 'containers' },
  { name: 'no generation', body: '{"containers":[]}', status: 400, field: 'generation' },
  { name: 'container without image', body: without('image'), status: 400, field: 'containers[0].image' },
  { name: 'container without name', body: without('name'), status: 400, field: 'containers[0].name' },
  { name: 'container without replica', body: without('replica'), status: 400, field: 'containers[0].replica' },
  { name: 'port without host', body: withSpec({ ports: [{ container: 80 }] }), status: 400, field: 'containers[0].ports[0].host' },
  { name: 'healthcheck without test', body: withSpec({ healthcheck: { intervalS: 5 } }), status: 400, field: 'containers[0].healthcheck.test' },
  // wrong types
  { name: 'generation as string', body: '{"generation":"1","containers":[]}', status: 400, field: 'generation' },
  { name: 'generation fractional', body: '{"generation":1.5,"containers":[]}', status: 400, field: 'generation' },
  { name: 'generation negative', body: '{"generation":-1,"containers":[]}', status: 400, field: 'generation' },
  { name: 'generation boolean', body: '{"generation":true,"containers":[]}', status: 400, field: 'generation' },
  { name: 'containers object', body: '{"generation":1,"containers":{}}', status: 400, field: 'containers' },
  { name: 'containers string', body: '{"generation":1,"containers":"x"}', status: 400, field: 'containers' },
  { name: 'container a number', body: '{"generation":1,"containers":[1]}', status: 400, field: 'containers[0]' },
  { name: 'container null', body: '{"generation":1,"containers":[null]}', status: 400, field: 'containers[0]' },
  { name: 'name a number', body: withSpec({ name: 5 }), status: 400, field: 'containers[0].name' },
  { name: 'name with a slash', body: withSpec({ name: 'a/b' }), status: 400, field: 'containers[0].name' },
  { name: 'name starting with a dash', body: withSpec({ name: '-x' }), status: 400, field: 'containers[0].name' },
  { name: 'replica as string', body: withSpec({ replica: '1' }), status: 400, field: 'containers[0].replica' },
  { name: 'memory as "64m"', body: withSpec({ memoryLimit: '64m' }), status: 400, field: 'containers[0].memoryLimit' },
  { name: 'memory fractional', body: withSpec({ memoryLimit: 67108864.5 }), status: 400, field: 'containers[0].memoryLimit' },
  { name: 'memory under Docker minimum', body: withSpec({ memoryLimit: 1024 }), status: 400, field: 'containers[0].memoryLimit' },
  { name: 'cpus as string', body: withSpec({ cpus: '0.5' }), status: 400, field: 'containers[0].cpus' },
  { name: 'cpus zero', body: withSpec({ cpus: 0 }), status: 400, field: 'containers[0].cpus' },
  { name: 'cpus negative', body: withSpec({ cpus: -1 }), status: 400, field: 'containers[0].cpus' },
  { name: 'port as string', body: withSpec({ ports: [{ container: '80', host: 80 }] }), status: 400, field: 'containers[0].ports[0].container' },
  { name: 'port zero', body: withSpec({ ports: [{ container: 0, host: 80 }] }), status: 400, field: 'containers[0].ports[0].container' },
  { name: 'port too big', body: withSpec({ ports: [{ container: 80, host: 70000 }] }), status: 400, field: 'containers[0].ports[0].host' },
  { name: 'protocol sctp', body: withSpec({ ports: [{ container: 80, host: 80, protocol: 'sctp' }] }), status: 400, field: 'containers[0].ports[0].protocol' },
  { name: 'env value a number', body: withSpec({ env: { A: 1 } }), status: 400, field: 'containers[0].env.A' },
  { name: 'env bad name', body: withSpec({ env: { '1BAD': 'x' } }), status: 400, field: 'containers[0].env.1BAD' },
  { name: 'command a string', body: withSpec({ command: 'ls -l' }), status: 400, field: 'containers[0].command' },
  { name: 'image empty', body: withSpec({ image: '' }), status: 400, field: 'containers[0].image' },
  { name: 'image with a space', body: withSpec({ image: 'a b' }), status: 400, field: 'containers[0].image' },
  { name: 'restart policy unknown', body: withSpec({ restartPolicy: 'sometimes' }), status: 400, field: 'containers[0].restartPolicy' },
  { name: 'healthcheck empty test', body: withSpec({ healthcheck: { test: [] } }), status: 400, field: 'containers[0].healthcheck.test' },
  // huge numbers
  { name: 'generation 1e400 (Infinity)', body: '{"generation":1e400,"containers":[]}', status: 400, field: 'generation' },
  { name: 'generation past 2^53', body: '{"generation":9007199254740993,"containers":[]}', status: 400, field: 'generation' },
  { name: 'memory 1e30', body: withSpec({ memoryLimit: 1e30 }), status: 400, field: 'containers[0].memoryLimit' },
  { name: 'replica 1e10', body: withSpec({ replica: 1e10 }), status: 400, field: 'containers[0].replica' },
  { name: 'cpus 1e308', body: withSpec({ cpus: 1e308 }), status: 400, field: 'containers[0].cpus' },
  { name: 'pids 99999999999', body: withSpec({ pidsLimit: 99999999999 }), status: 400, field: 'containers[0].pidsLimit' },
  { name: 'reservation -1', body: withSpec({ memoryReservation: -1 }), status: 400, field: 'containers[0].memoryReservation' },
  // unknown fields
  { name: 'unknown top-level field', body: '{"generation":1,"containers":[],"force":true}', status: 400, field: 'force' },
  { name: 'unknown container field', body: withSpec({ memory: '64m' }), status: 400, field: 'containers[0].memory' },
  {
    name: 'unknown port field',
    body: withSpec({ ports: [{ container: 80, host: 80, mode: 'ingress' }] }),
    status: 400,
    field: 'containers[0].ports[0].mode',
  },
  { name: '__proto__ key', body: '{"generation":1,"containers":[],"__proto__":{"x":1}}', status: 400 },
  { name: 'constructor.prototype', body: '{"generation":1,"containers":[],"constructor":{"prototype":{"x":1}}}', status: 400 },
  // rules across fields
  { name: 'duplicate names', body: JSON.stringify({ generation: 1, containers: [spec, spec] }), status: 400, field: 'containers[1].name' },
  {
    name: 'duplicate host ports',
    body: JSON.stringify({ generation: 1, containers: [spec, { ...spec, name: 'web_api.9', replica: 9 }] }),
    status: 400,
    field: 'containers[1].ports[0].host',
  },
  { name: 'reservation above limit', body: withSpec({ memoryReservation: 128 << 20 }), status: 400, field: 'containers[0].memoryReservation' },
  { name: 'healthcheck kind unknown', body: withSpec({ healthcheck: { test: ['RUN', 'x'] } }), status: 400, field: 'containers[0].healthcheck.test[0]' },
  { name: 'reserved label', body: withSpec({ labels: { 'io.muster.managed': 'no' } }), status: 400, field: 'containers[0].labels.io.muster.managed' },
  // size and nesting
  { name: 'body over 1 MiB', body: withSpec({ command: ['x'.repeat(60_000), ...Array(20).fill('y'.repeat(60_000))] }), status: 413, code: 'E_BODY_TOO_LARGE' },
  {
    name: 'deeply nested command',
    body: withSpec({ command: 'DEEP' }).replace('"DEEP"', '['.repeat(5000) + ']'.repeat(5000)),
    status: 400,
    field: 'containers[0].command[0]',
  },
  {
    name: 'too many containers',
    body: JSON.stringify({ generation: 1, containers: Array(1001).fill({ name: 'a', stack: 'a', service: 'a', replica: 1, image: 'a' }) }),
    status: 400,
    field: 'containers',
  },
  // content types
  { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(validSet(1)), status: 415, code: 'E_CONTENT_TYPE' },
  { name: 'form encoded', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'generation=1', status: 415, code: 'E_CONTENT_TYPE' },
  { name: 'multipart', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--', status: 415, code: 'E_CONTENT_TYPE' },
  { name: 'garbage content type', headers: { 'content-type': '%%%' }, body: '{}', status: 415 },
  // drain
  { name: 'drain with a string', url: '/v1/drain', method: 'POST', body: '{"available":"false"}', status: 400, field: 'available' },
  { name: 'drain with a number', url: '/v1/drain', method: 'POST', body: '{"available":0}', status: 400, field: 'available' },
  { name: 'drain with nothing', url: '/v1/drain', method: 'POST', body: '{}', status: 400, field: 'available' },
  { name: 'drain with an extra field', url: '/v1/drain', method: 'POST', body: '{"available":true,"why":"x"}', status: 400, field: 'why' },
  { name: 'drain without a body', url: '/v1/drain', method: 'POST', headers: {}, status: 400 },
  // routes and methods
  { name: 'unknown route', method: 'GET', url: '/v1/unknown', status: 404, code: 'E_NOT_FOUND' },
  { name: 'dot segments resolve like a browser would', method: 'GET', url: '/v1/desired/../report', status: 200 },
  { name: 'bad percent escape', method: 'GET', url: '/v1/%zz', status: 400, code: 'E_URL' },
  { name: 'huge URL', method: 'GET', url: `/v1/${'a'.repeat(20_000)}`, status: 404 },
  { name: 'bad query', method: 'GET', url: '/v1/report?%%=%', status: 200 },
  { name: 'DELETE desired', method: 'DELETE', url: '/v1/desired', status: 405, code: 'E_METHOD' },
  { name: 'PATCH desired', method: 'PATCH', url: '/v1/desired', body: '{}', status: 405, code: 'E_METHOD' },
  { name: 'OPTIONS report', method: 'OPTIONS', url: '/v1/report', status: 405, code: 'E_METHOD' },
  { name: 'GET drain', method: 'GET', url: '/v1/drain', status: 405, code: 'E_METHOD' },
  { name: 'POST health', method: 'POST', url: '/v1/health', body: '{}', status: 405, code: 'E_METHOD' },
];

t.test('malformed requests never yield a 5xx', async (t) => {
  const { app, errors } = harness(t.testdir());
  for (const c of cases) {
    const method = c.method ?? 'PUT';
    const res = await app.inject({
      method,
      url: c.url ?? '/v1/desired',
      headers: { ...AUTH, ...(c.headers ?? (c.body === undefined ? {} : json)) },
      payload: c.body,
    });
    t.ok(res.statusCode < 500, `${c.name}: not a server error (${res.statusCode})`);
    t.equal(res.statusCode, c.status, `${c.name}: status`);
    if (res.statusCode >= 400 && method !== 'HEAD') {
      const body = res.json() as { error: { code: string; message: string; field?: string } };
      t.type(body.error.message, 'string', `${c.name}: says what is wrong`);
      if (c.code) t.equal(body.error.code, c.code, `${c.name}: code`);
      if (c.field !== undefined) {
        t.equal(body.error.field, c.field, `${c.name}: field`);
        t.match(body.error.message, c.field, `${c.name}: the message names the field`);
      }
    }
  }
  t.same(errors, [], 'no internal error reported');
  const after = await app.inject({ method: 'GET', url: '/v1/desired', headers: AUTH });
  t.equal(after.statusCode, 404, 'nothing was accepted');
});
