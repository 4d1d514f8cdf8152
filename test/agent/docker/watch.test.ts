import t from 'tap';
import { burst } from '../../../agent/docker/watch.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('burst: triggers within the delay share one call; a later trigger makes another; cancel drops it', async (t) => {
  let calls = 0;
  const b = burst(() => calls++, 50);
  for (let i = 0; i < 10; i++) b.trigger();
  t.equal(calls, 0, 'not at once');
  await sleep(120);
  t.equal(calls, 1, '10 triggers, one call');
  b.trigger();
  await sleep(20);
  b.trigger();
  await sleep(120);
  t.equal(calls, 2, 'a new burst, one more call; the trigger inside it joined it');
  b.trigger();
  b.cancel();
  await sleep(120);
  t.equal(calls, 2, 'cancelled');
  b.trigger();
  await sleep(120);
  t.equal(calls, 3, 'usable after a cancel');
});
