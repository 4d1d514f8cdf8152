import t from 'tap';
import { errorAnswer, fieldOf, schemaError } from '../../shared/http-errors.js';

t.test('JSON pointer -> field name', async (t) => {
  const rows: [string, string | undefined, string][] = [
    ['', undefined, ''],
    ['', 'generation', 'generation'],
    ['/containers/0/memoryLimit', undefined, 'containers[0].memoryLimit'],
    ['/containers/12/ports/3', 'host', 'containers[12].ports[3].host'],
    ['/containers/0/labels', 'a/b', 'containers[0].labels.a/b'],
    ['/containers/0/labels/x~1y~0z', undefined, 'containers[0].labels.x/y~z'],
  ];
  for (const [path, child, want] of rows) t.equal(fieldOf(path, child), want, `${path} ${child ?? ''}`);
});

t.test('schema violations name the field', async (t) => {
  t.same(schemaError({ keyword: 'required', instancePath: '/containers/1', params: { missingProperty: 'image' } }).body.error, {
    code: 'E_SCHEMA',
    message: 'containers[1].image is missing',
    field: 'containers[1].image',
  });
  t.same(schemaError({ keyword: 'type', instancePath: '', params: {}, message: 'must be object' }).body.error, {
    code: 'E_SCHEMA',
    message: 'the body must be object',
    field: undefined,
  });
  t.equal(schemaError({ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'x' } }).body.error.message, 'x is not a known field');
});

t.test('errors -> answers: client errors keep their status, others hide their internals', async (t) => {
  t.same(errorAnswer({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }), {
    status: 413,
    body: { error: { code: 'E_BODY_TOO_LARGE', message: 'the body is larger than the agent accepts' } },
  });
  t.equal(errorAnswer({ statusCode: 400, message: 'Unexpected token } in JSON at position 3' }).body.error.code, 'E_JSON');
  t.same(errorAnswer({ statusCode: 418, message: 'teapot' }), { status: 418, body: { error: { code: 'E_REQUEST', message: 'teapot' } } });
  t.same(errorAnswer({ message: 'ENOENT /secret/path' }), {
    status: 500,
    body: { error: { code: 'E_INTERNAL', message: 'the agent failed to answer; its log has the details' } },
  });
  t.equal(errorAnswer({ statusCode: 503, message: 'x' }).status, 500);
});

t.test('errorAnswer names the server it speaks for', async (t) => {
  t.match(errorAnswer({ statusCode: 500 }, 'manager'), {
    status: 500,
    body: { error: { code: 'E_INTERNAL', message: 'the manager failed to answer; its log has the details' } },
  });
  t.match(errorAnswer({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, 'manager').body.error.message, 'larger than the manager accepts');
  t.match(errorAnswer({ statusCode: 500 }).body.error.message, /^the agent failed/, 'the agent by default');
});
