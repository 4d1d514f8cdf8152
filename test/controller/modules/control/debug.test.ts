import t from 'tap';
import { debug, debugResult, NOT_DEFINED, verbosityOf, type Lookup } from '../../../../controller/modules/control/debug.js';
import { assert } from '../../../../controller/modules/control/assert.js';
import { fakeContext } from './fake-context.js';

const known: Record<string, unknown> = { answer: 42, 'pkg.name': 'nginx' };
const lookup: Lookup = { defined: (e) => e in known, value: (e) => known[e] };

t.test('debug decisions', async (t) => {
  const cases: { name: string; args: Record<string, unknown>; verbosity: number; want: unknown }[] = [
    { name: 'default message', args: {}, verbosity: 0, want: { changed: false, msg: 'Hello world!' } },
    { name: 'msg', args: { msg: 'hi' }, verbosity: 0, want: { changed: false, msg: 'hi' } },
    { name: 'msg as a list', args: { msg: ['a', 1] }, verbosity: 0, want: { changed: false, data: { msg: ['a', 1] } } },
    { name: 'var', args: { var: 'answer' }, verbosity: 0, want: { changed: false, data: { answer: 42 } } },
    { name: 'var path', args: { var: 'pkg.name' }, verbosity: 0, want: { changed: false, data: { 'pkg.name': 'nginx' } } },
    { name: 'undefined var', args: { var: 'nope' }, verbosity: 0, want: { changed: false, data: { nope: NOT_DEFINED } } },
    {
      name: 'below the verbosity threshold',
      args: { msg: 'details', verbosity: 2 },
      verbosity: 1,
      want: { changed: false, msg: 'Verbosity threshold not met.', data: { skipped: true, skipped_reason: 'Verbosity threshold not met.' } },
    },
    { name: 'at the threshold', args: { msg: 'details', verbosity: 2 }, verbosity: 2, want: { changed: false, msg: 'details' } },
  ];
  for (const c of cases) t.same(debugResult(c.args, c.verbosity, lookup), c.want, c.name);
  t.match(debug.validate?.({ msg: 'a', var: 'b' }), /mutually exclusive/);
  t.equal(debug.validate?.({ msg: 'a' }), undefined);
});

t.test('run verbosity comes from ansible_verbosity', async (t) => {
  t.equal(verbosityOf({}), 0);
  t.equal(verbosityOf({ ansible_verbosity: 3 }), 3);
  t.equal(verbosityOf({ ansible_verbosity: 'x' }), 0);
});

t.test('debug and assert evaluate with the expression language', async (t) => {
  const vars = { ansible_facts: { memtotal_mb: 900 }, ansible_memtotal_mb: 900, items: [1, 2, 3] };
  const ctx = fakeContext({}, { vars });
  t.same(await debug.run({ var: 'ansible_facts.memtotal_mb', verbosity: 0 }, ctx), { changed: false, data: { 'ansible_facts.memtotal_mb': 900 } });
  t.same(await debug.run({ var: 'items | length', verbosity: 0 }, ctx), { changed: false, data: { 'items | length': 3 } });
  t.same(await debug.run({ var: 'missing.deep', verbosity: 0 }, ctx), { changed: false, data: { 'missing.deep': NOT_DEFINED } });
  t.match(await assert.run({ that: ['ansible_memtotal_mb > 512', 'items | length == 3'], quiet: false }, ctx), {
    changed: false,
    msg: 'All assertions passed',
  });
  t.match(
    await assert.run({ that: 'ansible_memtotal_mb in [900, 1000]' }, ctx),
    { changed: false, msg: 'All assertions passed' },
    'one expression with commas',
  );
  t.match(await assert.run({ that: ['ansible_memtotal_mb >= 1024'], fail_msg: 'needs 1 GB' }, ctx), {
    failed: true,
    msg: 'needs 1 GB',
    data: { assertion: 'ansible_memtotal_mb >= 1024', evaluated_to: false },
  });
  const err = await assert.run({ that: ['nothere > 1'] }, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { code: 'E_EXPR', host: 'h1' }, 'an undefined variable in an assertion is an error naming it');
});
