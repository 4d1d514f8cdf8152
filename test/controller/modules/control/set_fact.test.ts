import t from 'tap';
import { checkSetFact, setFact, setFactResult } from '../../../../controller/modules/control/set_fact.js';
import { fakeContext } from './fake-context.js';

t.test('set_fact argument names', async (t) => {
  const cases: [Record<string, unknown>, string | undefined][] = [
    [{ a: 1 }, undefined],
    [{ _private: 'x', cacheable: true }, undefined],
    [{ cacheable: true }, 'set_fact needs at least one variable'],
    [{}, 'set_fact needs at least one variable'],
    [{ '1st': 1 }, '"1st" is not a valid variable name'],
    [{ 'my-var': 1 }, '"my-var" is not a valid variable name'],
  ];
  for (const [args, want] of cases) {
    const got = checkSetFact(args);
    if (want === undefined) t.equal(got, undefined, JSON.stringify(args));
    else t.match(got, want, JSON.stringify(args));
  }
  t.equal(setFact.validate, checkSetFact);
  t.equal(setFact.freeArgs, true);
});

t.test('set_fact sets the variables, never changes, drops cacheable', async (t) => {
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [
      { a: 1, b: [1, 2] },
      { a: 1, b: [1, 2] },
    ],
    [{ cacheable: true, c: { d: 'e' } }, { c: { d: 'e' } }],
  ];
  for (const [args, vars] of cases) {
    t.same(setFactResult(args), { changed: false, setVars: vars, data: { ansible_facts: vars } });
  }
  t.same(await setFact.run({ x: 'y' }, fakeContext()), { changed: false, setVars: { x: 'y' }, data: { ansible_facts: { x: 'y' } } });
});
