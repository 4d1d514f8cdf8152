import t from 'tap';
import { isProblem, namesProblem, queryProblem, wholeNumber } from '../../../../controller/manager/api/checks.js';

t.test('names: letters, digits, . _ - and 128 at most', async (t) => {
  t.equal(namesProblem({ stack: 'shop', service: 'web.v2_a-b' }), undefined);
  t.equal(namesProblem({ node: 'a'.repeat(128) }), undefined);
  for (const bad of ['a'.repeat(129), '-a', '.a', 'a/b', 'a b', '']) {
    const p = namesProblem({ node: bad });
    t.equal(p?.status, 400, JSON.stringify(bad));
    t.equal(p?.body.error.field, 'node');
  }
});

t.test('queries: known parameters only, each once', async (t) => {
  t.equal(queryProblem({ tail: '5' }, ['tail']), undefined);
  t.equal(queryProblem({ x: '1' }, ['tail'])?.body.error.field, 'x');
  t.match(queryProblem({ x: '1' }, [])?.body.error.message, /takes none/);
  t.match(queryProblem({ tail: ['1', '2'] }, ['tail'])?.body.error.message, /more than once/);
});

t.test('whole numbers within bounds, the fallback when absent', async (t) => {
  t.equal(wholeNumber(undefined, 'tail', 1, 10, 5), 5);
  t.equal(wholeNumber('1', 'tail', 1, 10, 5), 1);
  t.equal(wholeNumber('10', 'tail', 1, 10, 5), 10);
  for (const bad of ['0', '11', '-1', '1e1', ' 1', '', '99999999999999999']) {
    const r = wholeNumber(bad, 'tail', 1, 10, 5);
    t.ok(isProblem(r), JSON.stringify(bad));
  }
  t.notOk(isProblem(3));
});
