import t from 'tap';
import { loadedRefs } from '../../../agent/docker/adapter.js';

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
