import t from 'tap';
import { InspectCache } from '../../../agent/docker/inspect-cache.js';
import type { ObservedContainer } from '../../../agent/types.js';

const c = (id: string, state: ObservedContainer['state'] = 'running'): ObservedContainer => ({ id, name: id, specHash: 'h', state, restartCount: 0 });
const ids = (...xs: string[]): Set<string> => new Set(xs);

t.test('an answer is used again until an event, a state change, its age or the list says otherwise', async (t) => {
  const cache = new InspectCache(60_000);
  t.equal(cache.get('a', 'running', 0), undefined, 'empty');
  cache.store(cache.epoch(), [c('a'), c('b', 'exited')], ids('a', 'b'), 1000);
  t.same(cache.get('a', 'running', 2000), c('a'), 'kept');
  t.same(cache.get('b', 'exited', 2000), c('b', 'exited'));
  t.equal(cache.get('a', 'exited', 2000), undefined, 'the list shows another state: inspect again');
  t.equal(cache.get('a', 'running', 61_001), undefined, 'older than the maximum age');
  t.same(cache.get('a', 'running', 61_000), c('a'), 'exactly the maximum age is still good');

  cache.invalidate('a');
  t.equal(cache.get('a', 'running', 2000), undefined, 'an event for a');
  t.same(cache.get('b', 'exited', 2000), c('b', 'exited'), 'b untouched by an event for a');

  cache.invalidate();
  t.equal(cache.size, 0, 'the stream was lost: nothing is trusted');
});

t.test('answers taken while an event arrived are not kept; containers gone from the list are forgotten', async (t) => {
  const cache = new InspectCache(60_000);
  const epoch = cache.epoch();
  cache.invalidate('x'); // an event during the list and inspects, for any container
  cache.store(epoch, [c('a')], ids('a'), 0);
  t.equal(cache.get('a', 'running', 0), undefined, 'the answer may predate the change the event announced');
  cache.store(cache.epoch(), [c('a'), c('b')], ids('a', 'b'), 0);
  t.equal(cache.size, 2);
  cache.store(cache.epoch(), [], ids('b'), 0);
  t.equal(cache.get('a', 'running', 0), undefined, 'a is gone from the list');
  t.same(cache.get('b', 'running', 0), c('b'));
  const stale = cache.epoch();
  cache.invalidate('b');
  cache.store(stale, [], ids(), 0);
  t.equal(cache.size, 0, 'forgetting happens even when the answers are not kept');
});
