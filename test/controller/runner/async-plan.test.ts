/** The pure parts of async and timeout: which way a module runs in the background, async/poll/timeout rendered per host. */
import t from 'tap';
import { asyncMode, timeoutMessage } from '../../../controller/runner/async.js';
import { asyncOf, timeoutOf } from '../../../controller/runner/task-keywords.js';

const where = { host: 'h1', task: 't' };

t.test('async mode: refused for action modules and in check mode; command/shell detached; others inside muster', async (t) => {
  t.same(asyncMode({ name: 'copy' }, false), { kind: 'fail', msg: 'async is not supported for this task.' });
  t.same(asyncMode({ name: 'debug', local: true }, false), { kind: 'fail', msg: 'async is not supported for this task.' });
  t.same(asyncMode({ name: 'template' }, true), { kind: 'fail', msg: 'async is not supported for this task.' }, 'not supported comes before check mode');
  t.same(asyncMode({ name: 'command' }, true), { kind: 'fail', msg: 'check mode and async cannot be used on same task.' });
  t.same(asyncMode({ name: 'command' }, false), { kind: 'detached' });
  t.same(asyncMode({ name: 'shell' }, false), { kind: 'detached' });
  t.same(asyncMode({ name: 'apt' }, false), { kind: 'in-process' });
});

t.test('async and poll per host: absent or 0 runs in the foreground; poll defaults to 15', async (t) => {
  t.equal(asyncOf({}, {}, where), undefined);
  t.equal(asyncOf({ async: 0, poll: 5 }, {}, where), undefined);
  t.same(asyncOf({ async: 10 }, {}, where), { limit: 10, poll: 15 });
  t.same(asyncOf({ async: '{{ a }}', poll: '{{ p }}' }, { a: 30, p: 0 }, where), { limit: 30, poll: 0 });
  t.throws(() => asyncOf({ async: '{{ a }}' }, { a: 'soon' }, where), /"async" must give a number/);
  t.throws(() => asyncOf({ async: 5, poll: '{{ p }}' }, { p: -1 }, where), /"poll" must give a number/);
});

t.test('timeout per host: absent or 0 is none', async (t) => {
  t.equal(timeoutOf({}, {}, where), undefined);
  t.equal(timeoutOf({ timeout: 0 }, {}, where), undefined);
  t.equal(timeoutOf({ timeout: 2 }, {}, where), 2);
  t.equal(timeoutOf({ timeout: '{{ n }}' }, { n: '7' }, where), 7);
  t.throws(() => timeoutOf({ timeout: '{{ n }}' }, { n: 'x' }, where), /"timeout" must give a number/);
  t.equal(timeoutMessage('command', 2), 'The command action failed to execute in the expected time frame (2) and was terminated');
});
