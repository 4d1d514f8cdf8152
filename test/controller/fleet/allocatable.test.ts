/** The memory muster may hand out on a node: both sides of zero, and an unknown total. */
import t from 'tap';
import { allocatableBytes } from '../../../controller/fleet/allocatable.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

t.test('allocatableBytes', async (t) => {
  const rows: [string, number | null, number, number, number | null][] = [
    ['total less baseline less reserve', 4 * GiB, 300 * MiB, 256 * MiB, 4 * GiB - 556 * MiB],
    ['no reserve', 1 * GiB, 100 * MiB, 0, 924 * MiB],
    ['exactly used up', 1 * GiB, 768 * MiB, 256 * MiB, 0],
    ['one byte left', 1 * GiB, 768 * MiB - 1, 256 * MiB, 1],
    ['more taken than there is: zero, never negative', 512 * MiB, 400 * MiB, 256 * MiB, 0],
    ['total unknown', null, 100 * MiB, 256 * MiB, null],
  ];
  for (const [name, total, baseline, reserve, want] of rows) t.equal(allocatableBytes(total, baseline, reserve), want, name);
});
