import t from 'tap';
import { DOWN_AFTER_MS, MISSES, observe, unknownHealth } from '../../../controller/manager/health.js';

t.test('up at the first answer; down only after DOWN_AFTER_MS and MISSES polls without one; up again with a change', async (t) => {
  t.equal(MISSES, 2);
  let h = unknownHealth(0);
  let r = observe(h, true, 100);
  t.same(r.next, { state: 'up', since: 100, lastSeen: 100 });
  t.equal(r.change, undefined, 'unknown -> up is no event');
  h = r.next;
  r = observe(h, false, 1100, 'refused');
  t.equal(r.next.missed, 1);
  r = observe(r.next, false, 100 + DOWN_AFTER_MS - 1, 'refused');
  t.equal(r.next.state, 'up', 'one ms short of the limit: still up, though 2 polls were missed');
  t.equal(r.next.lastError, 'refused');
  t.equal(r.change, undefined);
  r = observe(r.next, false, 100 + DOWN_AFTER_MS, 'refused');
  t.equal(r.next.state, 'down', 'at the limit: down');
  t.equal(r.change, 'down');
  t.equal(r.next.since, 100 + DOWN_AFTER_MS);
  r = observe(r.next, false, 100 + 2 * DOWN_AFTER_MS, 'refused');
  t.equal(r.change, undefined, 'down once, not again');
  r = observe(r.next, true, 20_000);
  t.equal(r.change, 'up');
  t.same(r.next, { state: 'up', since: 20_000, lastSeen: 20_000 }, 'the count of misses starts over');
});

t.test('one missed poll never takes a node down, however long the quiet (a manager too busy to read answers)', async (t) => {
  const up = { state: 'up' as const, since: 0, lastSeen: 0 };
  const one = observe(up, false, 10_000, 'timeout');
  t.equal(one.next.state, 'up', 'a single miss after 10 s of quiet: up');
  t.equal(one.change, undefined);
  const two = observe(one.next, false, 11_000, 'timeout');
  t.equal(two.change, 'down', 'a second miss in a row: down');
  const again = observe(observe(one.next, true, 10_500).next, false, 14_000, 'timeout');
  t.equal(again.next.state, 'up', 'an answer between two misses resets the count');
});

t.test('a node never seen counts from the start; a custom limit', async (t) => {
  const h = unknownHealth(1000);
  const first = observe(h, false, 1000 + 499, 'timeout', 500);
  t.equal(first.change, undefined);
  const r = observe(first.next, false, 1000 + 500, 'timeout', 500);
  t.equal(r.change, 'down');
  t.equal(r.next.lastError, 'timeout');
});
