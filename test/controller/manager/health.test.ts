import t from 'tap';
import { DOWN_AFTER_MS, observe, unknownHealth } from '../../../controller/manager/health.js';

t.test('up at the first answer; down only after DOWN_AFTER_MS without one; up again with a change', async (t) => {
  let h = unknownHealth(0);
  let r = observe(h, true, 100);
  t.same(r.next, { state: 'up', since: 100, lastSeen: 100 });
  t.equal(r.change, undefined, 'unknown -> up is no event');
  h = r.next;
  r = observe(h, false, 100 + DOWN_AFTER_MS - 1, 'refused');
  t.equal(r.next.state, 'up', 'one ms short of the limit: still up');
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
  t.same(r.next, { state: 'up', since: 20_000, lastSeen: 20_000 });
});

t.test('a node never seen counts from the start; a custom limit', async (t) => {
  const h = unknownHealth(1000);
  t.equal(observe(h, false, 1000 + 499, 'timeout', 500).change, undefined);
  const r = observe(h, false, 1000 + 500, 'timeout', 500);
  t.equal(r.change, 'down');
  t.equal(r.next.lastError, 'timeout');
});
