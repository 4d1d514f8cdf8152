import t from 'tap';
import { Slots } from '../../../controller/transport/slots.js';

const tick = () => new Promise((r) => setImmediate(r));

t.test('never more than size at once, and every job runs', async (t) => {
  const slots = new Slots(3);
  let running = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      slots.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        return i;
      }),
    ),
  );
  t.equal(peak, 3);
  t.same(
    results,
    Array.from({ length: 20 }, (_, i) => i),
  );
});

t.test('waiters start in arrival order, and a failure frees its slot', async (t) => {
  const slots = new Slots(1);
  const order: number[] = [];
  const failing = slots.run(async () => {
    order.push(0);
    await tick();
    throw new Error('boom');
  });
  const rest = [1, 2, 3].map((i) => slots.run(async () => void order.push(i)));
  await t.rejects(failing, { message: 'boom' });
  await Promise.all(rest);
  t.same(order, [0, 1, 2, 3]);
});
