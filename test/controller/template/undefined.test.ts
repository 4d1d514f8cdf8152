import t from 'tap';
import { defined, isUndefined, makeUndefined } from '../../../controller/template/undefined.js';

function sample() {
  return makeUndefined(() => {
    throw new Error('x is undefined');
  });
}

t.test('a strict undefined can be looked into and tested', async (t) => {
  const u = sample() as Record<string, unknown>;
  t.ok(isUndefined(u));
  t.equal(u.a, u, 'attributes are itself');
  t.ok(Object.hasOwn(u, 'a'), 'and look own');
  t.same(Object.keys(u), []);
  t.notOk('a' in u);
  t.notOk(isUndefined({}));
  t.notOk(isUndefined(null));
  t.notOk(isUndefined('x'));
});

t.test('using it throws its error', async (t) => {
  const u = sample();
  t.throws(() => String(u), /x is undefined/);
  t.throws(() => `${u}`, /x is undefined/);
  t.throws(() => JSON.stringify({ u }), /x is undefined/);
  t.throws(() => defined(u), /x is undefined/);
  t.throws(() => (u as unknown as number) + 1, /x is undefined/);
  t.equal(defined(5), 5);
});

t.test('it cannot be changed', async (t) => {
  const u = sample() as Record<string, unknown>;
  t.throws(() => {
    u.a = 1;
  }, TypeError);
});
