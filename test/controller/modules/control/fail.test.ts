import t from 'tap';
import { fail, failResult } from '../../../../controller/modules/control/fail.js';
import { fakeContext } from './fake-context.js';

t.test('fail always fails with its message', async (t) => {
  t.same(failResult({}), { changed: false, failed: true, msg: 'Failed as requested from task' });
  t.same(failResult({ msg: 'no disk' }), { changed: false, failed: true, msg: 'no disk' });
  t.same(failResult({ msg: { why: 'x' } }), { changed: false, failed: true, data: { msg: { why: 'x' } } });
  t.same(await fail.run({ msg: 'stop' }, fakeContext()), { changed: false, failed: true, msg: 'stop' });
});
