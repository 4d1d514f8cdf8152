import t from 'tap';
import { EventLog } from '../../../controller/manager/event-log.js';

t.test('events are numbered, kept up to the cap, listed after an id, and streamed until unsubscribed', async (t) => {
  const log = new EventLog(3);
  const seen: number[] = [];
  const off = log.subscribe((e) => seen.push(e.id));
  for (let i = 0; i < 5; i++) log.emit({ type: 'node-up', node: `n${i}` }, Date.UTC(2026, 0, 1, 0, 0, i));
  t.same(
    log.since(0).map((e) => e.id),
    [3, 4, 5],
    'the last 3',
  );
  t.same(
    log.since(4).map((e) => e.id),
    [5],
  );
  t.same(log.since(5), []);
  t.equal(log.since(0)[0].at, '2026-01-01T00:00:02.000Z');
  t.same(seen, [1, 2, 3, 4, 5]);
  off();
  log.emit({ type: 'node-down', node: 'n1', reason: 'x' }, 0);
  t.same(seen, [1, 2, 3, 4, 5], 'not told after unsubscribing');
  t.equal(log.count, 6);
});
