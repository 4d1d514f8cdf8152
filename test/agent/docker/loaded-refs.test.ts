import t from 'tap';
import { loadError, loadedRefs } from '../../../agent/docker/deploy-support.js';

t.test("what docker load's answer says was loaded", async (t) => {
  const rows: [string, string[] | RegExp, string][] = [
    ['{"stream":"Loaded image: muster-busybox:2\\n"}\n', ['muster-busybox:2'], 'a tagged image'],
    ['{"stream":"Loaded image ID: sha256:0123abcd\\n"}\n', ['sha256:0123abcd'], 'an untagged image: its id'],
    ['{"stream":"Loaded image: a:1\\n"}\r\n{"stream":"Loaded image: b:2\\n"}\r\n', ['a:1', 'b:2'], 'two images'],
    [
      '{"stream":"The image a:1 already exists, renaming the old one with ID sha256:9 to empty string\\n"}\n{"stream":"Loaded image: a:1\\n"}\n',
      ['a:1'],
      'a replaced tag',
    ],
    ['', [], 'nothing'],
    ['not json\n{"stream":"Loaded image: c:3\\n"}', ['c:3'], 'a line that is not JSON is skipped'],
    ['{"errorDetail":{"message":"unexpected EOF"},"error":"unexpected EOF"}\n', /unexpected EOF/, 'an error line'],
    ['{"error":"invalid tar header"}\n', /invalid tar header/, 'an error without details'],
  ];
  for (const [answer, want, why] of rows) {
    if (want instanceof RegExp) t.throws(() => loadedRefs(answer), { message: want, statusCode: 400 }, why);
    else t.same(loadedRefs(answer), want, why);
  }
});

t.test('a failed load: the size limit as it is, what Docker said as a client error, a dead socket as unreachable', async (t) => {
  const limit = Object.assign(new Error('the image tar is larger than 4294967296 bytes'), { statusCode: 413 });
  t.equal(loadError(limit, '/s'), limit);
  const tar = Object.assign(new Error('(HTTP code 500) server error - Error processing tar file(exit status 1): unexpected EOF '), {
    statusCode: 500,
    json: null,
  });
  t.match(loadError(tar, '/s'), { statusCode: 400, message: 'Error processing tar file(exit status 1): unexpected EOF' });
  const line = Object.assign(new Error('invalid tar header'), { statusCode: 400 });
  t.match(loadError(line, '/s'), { statusCode: 400, message: 'invalid tar header' });
  t.match(loadError(Object.assign(new Error('connect ENOENT /s'), { code: 'ENOENT' }), '/s'), { code: 'E_UNREACHABLE' });
});
