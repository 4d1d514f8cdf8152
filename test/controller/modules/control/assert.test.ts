import t from 'tap';
import { assertResult } from '../../../../controller/modules/control/assert.js';

// A stand-in evaluator: the conditions named here are true, everything else false.
const truths = new Set(['x == 1', 'y is defined', 'true']);
const holds = (c: string | boolean) => (typeof c === 'boolean' ? c : truths.has(c));

t.test('assert decisions', async (t) => {
  const cases: { name: string; args: Record<string, unknown>; want: Record<string, unknown> }[] = [
    { name: 'all true', args: { that: ['x == 1', 'y is defined'] }, want: { changed: false, msg: 'All assertions passed' } },
    { name: 'single string', args: { that: 'x == 1', success_msg: 'fine' }, want: { changed: false, msg: 'fine' } },
    {
      name: 'first false one is reported',
      args: { that: ['x == 1', 'z > 3', 'w'] },
      want: { failed: true, msg: 'Assertion failed', data: { assertion: 'z > 3', evaluated_to: false } },
    },
    { name: 'fail_msg', args: { that: ['nope'], fail_msg: 'too small' }, want: { failed: true, msg: 'too small' } },
    {
      name: 'fail_msg as a list goes to data',
      args: { that: ['nope'], fail_msg: ['a', 'b'] },
      want: { failed: true, data: { msg: ['a', 'b'], assertion: 'nope' } },
    },
    { name: 'booleans', args: { that: [true, false] }, want: { failed: true, data: { assertion: false } } },
  ];
  for (const c of cases) t.match(assertResult(c.args, holds), c.want, c.name);
  t.notOk(assertResult({ that: ['x == 1'] }, holds).failed);
});

t.test('evaluation stops at the first false condition', async (t) => {
  const seen: (string | boolean)[] = [];
  assertResult({ that: ['a', 'b', 'c'] }, (c) => {
    seen.push(c);
    return c !== 'b';
  });
  t.same(seen, ['a', 'b']);
});
